// A reply as vjctl receives it: read in one pass of a streaming JSON parser, the result kept as the
// daemon's JSON text together with the status objects read out of it.
#include "received_reply.hpp"

#include <boost/json/basic_parser_impl.hpp>

#include <cassert>
#include <charconv>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>
#include <string>
#include <utility>

namespace vj::vjctl {

struct ReceivedResult::Storage {
    LineBuffer line;        ///< the server line, or the re-encoded result
    std::string_view text;  ///< the result's JSON text, in `line`
    InstanceStatuses statuses;
    std::deque<std::string> unescaped;  ///< strings not verbatim in `line` (escapes): a deque keeps them in place
};

namespace {

using nlohmann::json;
using boost::json::error_code;
using JsonView = boost::json::string_view;

/// What an open object or array is, for vjctl.
enum class Role : std::uint8_t {
    envelope,  ///< the line: {"id","ok","result"|"error"|"event"}
    result,    ///< the result, an object
    services,  ///< the result's "services" array
    instance,  ///< a status object in it
    other,     ///< anything vjctl does not read
};

/// What the next value is, for vjctl.
enum class Slot : std::uint8_t {
    envelope,  ///< the whole line
    id,
    ok,
    event,
    result,
    services,
    instance,  ///< an element of "services"
    name,
    service,
    state,
    health,
    pid,
    uptime_s,
    restarts,
    reason,
    message,
    other,
};

Slot envelope_slot(std::string_view key) {
    if (key == "id") return Slot::id;
    if (key == "ok") return Slot::ok;
    if (key == "result") return Slot::result;
    if (key == "event") return Slot::event;
    return Slot::other;
}

Slot instance_slot(std::string_view key) {
    // Each status object has ~13 keys: test the likely ones with a length switch first.
    switch (key.size()) {
        case 3: return key == "pid" ? Slot::pid : Slot::other;
        case 4: return key == "name" ? Slot::name : Slot::other;
        case 5: return key == "state" ? Slot::state : Slot::other;
        case 6: return key == "health" ? Slot::health : key == "reason" ? Slot::reason : Slot::other;
        case 7: return key == "service" ? Slot::service : key == "message" ? Slot::message : Slot::other;
        case 8: return key == "uptime_s" ? Slot::uptime_s : key == "restarts" ? Slot::restarts : Slot::other;
        default: return Slot::other;
    }
}

/// The string field of `status` that `slot` names, or nullptr.
std::string_view* string_field(InstanceStatus& status, Slot slot) {
    switch (slot) {
        case Slot::name: return &status.name;
        case Slot::service: return &status.service;
        case Slot::state: return &status.state;
        case Slot::health: return &status.health;
        case Slot::reason: return &status.reason;
        case Slot::message: return &status.message;
        default: return nullptr;
    }
}

/// Clears the field of `status` that `slot` names: its value was of another type (null included).
void clear_field(InstanceStatus& status, Slot slot) {
    if (auto* text = string_field(status, slot)) {
        *text = {};
    } else if (slot == Slot::pid) {
        status.pid.reset();
    } else if (slot == Slot::restarts) {
        status.restarts.reset();
    } else if (slot == Slot::uptime_s) {
        status.uptime_s.reset();
    }
}

bool is_json_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/// What the envelope said; `fast` when the line is a plain successful reply that this pass read
/// completely (otherwise control::decode_server_line decides what it is).
struct Envelope {
    bool fast = false;
    std::int64_t id = 0;
};

/// The handler for Boost.JSON's basic_parser (a SAX-style parser that validates as it goes and
/// builds nothing): fills a Storage's statuses and finds the result's text, in one pass.
class LineHandler {
public:
    static constexpr std::size_t max_object_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_array_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_key_size = std::numeric_limits<std::size_t>::max();
    static constexpr std::size_t max_string_size = std::numeric_limits<std::size_t>::max();

    /// `envelope`: the text is a server line; else it is a bare result.
    LineHandler(ReceivedResult::Storage& storage, bool envelope)
        : storage_(storage),
          line_(storage.line.view()),
          envelope_(envelope) {
        roles_.reserve(8);
    }

    bool on_document_begin(error_code&) { return true; }
    bool on_document_end(error_code&) { return true; }
    bool on_object_begin(error_code& ec) { return open(true, ec); }
    bool on_object_end(std::size_t, error_code&) { return close(); }
    bool on_array_begin(error_code& ec) { return open(false, ec); }
    bool on_array_end(std::size_t, error_code&) { return close(); }

    bool on_key_part(JsonView s, std::size_t, error_code&) {
        pieces_.append(s.data(), s.size());
        in_pieces_ = true;
        return true;
    }
    bool on_key(JsonView s, std::size_t, error_code&) {
        const bool pieced = std::exchange(in_pieces_, false);
        std::string_view key(s.data(), s.size());
        if (pieced) {
            pieces_.append(key);
            key = pieces_;
        }
        switch (roles_.back()) {
            case Role::envelope:
                // A key that needed unescaping is not verbatim in the line: it cannot tell where the result is.
                envelope_key(key, pieced || !in_line(key) ? nullptr : s.data());
                break;
            case Role::result:
                next_ = key == "services" ? Slot::services : Slot::other;
                if (next_ == Slot::services) {
                    // The last "services" counts, as in nlohmann (and a later non-array means none).
                    storage_.statuses.clear();
                    // Instances are ≥ ~130 bytes on the wire; reserving by that bound spares the
                    // vector's copies (and their page faults), and pages never written cost nothing.
                    storage_.statuses.reserve(line_.size() / 128);
                }
                break;
            case Role::instance: next_ = instance_slot(key); break;
            default: next_ = Slot::other; break;
        }
        pieces_.clear();
        return true;
    }

    bool on_string_part(JsonView s, std::size_t, error_code&) {
        pieces_.append(s.data(), s.size());
        in_pieces_ = true;
        return true;
    }
    bool on_string(JsonView s, std::size_t, error_code&) {
        const bool pieced = std::exchange(in_pieces_, false);
        const auto slot = value_slot();
        if (slot == Slot::instance) {
            storage_.statuses.emplace_back();
        } else if (auto* field = current_field(slot)) {
            std::string_view text(s.data(), s.size());
            if (pieced || !in_line(text)) {
                // Escaped, so the parser hands out unescaped copies: keep our own.
                pieces_.append(text);
                text = storage_.unescaped.emplace_back(std::move(pieces_));
            }
            *field = text;
        } else {
            other_scalar(slot);
        }
        pieces_.clear();
        return true;
    }

    bool on_number_part(JsonView s, error_code&) {
        number_.append(s.data(), s.size());
        return true;
    }
    bool on_int64(std::int64_t i, JsonView, error_code&) {
        number_.clear();
        const auto slot = value_slot();
        if (slot == Slot::id) {
            id_ = i;
        } else if (auto* status = instance()) {
            if (slot == Slot::pid) {
                status->pid = i;
            } else if (slot == Slot::restarts) {
                status->restarts = i;
            } else if (slot == Slot::uptime_s) {
                status->uptime_s = static_cast<double>(i);
            } else {
                clear_field(*status, slot);
            }
        } else {
            other_scalar(slot);
        }
        return true;
    }
    bool on_uint64(std::uint64_t u, JsonView, error_code&) {
        number_.clear();
        const auto slot = value_slot();
        // Above INT64_MAX: an id out of range (control::decode_server_line says so), a pid or
        // restarts count that is nonsense.
        if (auto* status = instance(); status != nullptr && slot == Slot::uptime_s) {
            status->uptime_s = static_cast<double>(u);
        } else {
            other_scalar(slot);
        }
        return true;
    }
    bool on_double(double d, JsonView s, error_code& ec) {
        if (!std::isfinite(d)) {
            // Boost.JSON reads 1e999 as infinity; nlohmann (and so the protocol) refuses it.
            ec = boost::json::error::exponent_overflow;
            return false;
        }
        const auto slot = value_slot();
        if (auto* status = instance(); status != nullptr && slot == Slot::uptime_s) {
            // Boost.JSON 1.81 may be one ulp off; from_chars rounds correctly, as nlohmann's
            // strtod does, so that an uptime of exactly 60 never shows as 59s.
            number_.append(s.data(), s.size());
            double exact = d;
            std::from_chars(number_.data(), number_.data() + number_.size(), exact);
            status->uptime_s = exact;
        } else {
            other_scalar(slot);
        }
        number_.clear();
        return true;
    }
    bool on_bool(bool b, error_code&) {
        const auto slot = value_slot();
        if (slot == Slot::ok) {
            ok_ = b;
        } else {
            other_scalar(slot);
        }
        return true;
    }
    bool on_null(error_code&) {
        other_scalar(value_slot());
        return true;
    }
    bool on_comment_part(JsonView, error_code&) { return true; }
    bool on_comment(JsonView, error_code&) { return true; }

    /// After a complete parse of the whole text: what the envelope said, and the result's text.
    Envelope finish() {
        if (!envelope_) {
            storage_.text = trim(line_);
            return {true, 0};
        }
        if (result_open_) {
            // The result was the last member: it ends before the envelope's closing brace.
            const auto closing = trim(line_);
            result_end_ = closing.empty() ? nullptr : closing.data() + closing.size() - 1;
            result_end_ = result_end_ != nullptr && *result_end_ == '}' ? skip_space_back(result_end_) : nullptr;
        }
        const bool fast = !not_envelope_ && id_ && ok_ == true && !event_ && result_begin_ != nullptr &&
                          result_end_ != nullptr && result_begin_ < result_end_;
        if (fast) {
            storage_.text = std::string_view(result_begin_, static_cast<std::size_t>(result_end_ - result_begin_));
        }
        return {fast, id_.value_or(0)};
    }

private:
    /// What the value that comes next is: a member after its key, an element, or the root.
    Slot value_slot() const {
        if (roles_.empty()) {
            return envelope_ ? Slot::envelope : Slot::result;
        }
        switch (roles_.back()) {
            case Role::services: return Slot::instance;
            case Role::other: return Slot::other;
            default: return next_;
        }
    }

    /// The instance whose member comes next, or nullptr.
    InstanceStatus* instance() {
        return !roles_.empty() && roles_.back() == Role::instance ? &storage_.statuses.back() : nullptr;
    }

    std::string_view* current_field(Slot slot) {
        auto* status = instance();
        return status != nullptr ? string_field(*status, slot) : nullptr;
    }

    /// A value that is not what `slot` reads (or that vjctl ignores).
    void other_scalar(Slot slot) {
        switch (slot) {
            case Slot::envelope: not_envelope_ = true; break;
            case Slot::id: id_.reset(); break;
            case Slot::ok: ok_.reset(); break;
            case Slot::event: event_ = true; break;
            case Slot::instance: storage_.statuses.emplace_back(); break;
            default:
                if (auto* status = instance()) {
                    clear_field(*status, slot);
                }
                break;
        }
    }

    bool open(bool object, error_code& ec) {
        const auto slot = value_slot();
        auto role = Role::other;
        switch (slot) {
            case Slot::envelope:
                if (!object) {
                    not_envelope_ = true;
                    ec = boost::json::error::syntax;  // not an object: control::decode_server_line says so
                    return false;
                }
                role = Role::envelope;
                break;
            case Slot::result: role = object ? Role::result : Role::other; break;
            case Slot::services: role = object ? Role::other : Role::services; break;
            case Slot::instance:
                storage_.statuses.emplace_back();
                role = object ? Role::instance : Role::other;
                break;
            default: other_scalar(slot); break;
        }
        roles_.push_back(role);
        return true;
    }

    bool close() {
        roles_.pop_back();
        return true;
    }

    /// A member of the envelope; `at` is where its key's text starts in the line, or nullptr
    /// when the parser unescaped it (then the result cannot be located: left to nlohmann).
    void envelope_key(std::string_view key, const char* at) {
        next_ = envelope_slot(key);
        if (result_open_) {
            // The result ends before `, "key"`.
            result_open_ = false;
            result_end_ = at != nullptr && in_line(at - 1) && at[-1] == '"' ? before_comma(at - 1) : nullptr;
        }
        if (next_ == Slot::result) {
            // The last "result" counts, as in nlohmann.
            storage_.statuses.clear();
            result_open_ = true;
            result_end_ = nullptr;
            result_begin_ = at != nullptr ? after_colon(at + key.size()) : nullptr;
        }
    }

    bool in_line(const char* p) const { return p >= line_.data() && p < line_.data() + line_.size(); }
    bool in_line(std::string_view s) const {
        return s.data() >= line_.data() && s.data() + s.size() <= line_.data() + line_.size();
    }

    /// From a key's closing quote at `quote`: the first character of its value, or nullptr.
    const char* after_colon(const char* quote) const {
        const char* end = line_.data() + line_.size();
        if (quote >= end || *quote != '"') {
            return nullptr;
        }
        const char* p = quote + 1;
        while (p < end && is_json_space(*p)) ++p;
        if (p >= end || *p != ':') {
            return nullptr;
        }
        ++p;
        while (p < end && is_json_space(*p)) ++p;
        return p < end ? p : nullptr;
    }

    /// From a key's opening quote at `quote`: the end of the value before `value , "key"`, or nullptr.
    const char* before_comma(const char* quote) const {
        const char* p = skip_space_back(quote);
        if (p == nullptr || !in_line(p - 1) || p[-1] != ',') {
            return nullptr;
        }
        return skip_space_back(p - 1);
    }

    /// The end of the text before `at` once JSON whitespace is dropped (at most `at`).
    const char* skip_space_back(const char* at) const {
        const char* p = at;
        while (p > line_.data() && is_json_space(p[-1])) --p;
        return p;
    }

    static std::string_view trim(std::string_view s) {
        while (!s.empty() && is_json_space(s.front())) s.remove_prefix(1);
        while (!s.empty() && is_json_space(s.back())) s.remove_suffix(1);
        return s;
    }

    ReceivedResult::Storage& storage_;
    std::string_view line_;
    bool envelope_;
    std::vector<Role> roles_;
    Slot next_ = Slot::other;  ///< the slot of the member whose key came last
    std::string pieces_;       ///< a key or string that arrived in pieces
    bool in_pieces_ = false;
    std::string number_;  ///< the first pieces of a number's text
    // The envelope.
    bool not_envelope_ = false;
    std::optional<std::int64_t> id_;
    std::optional<bool> ok_;
    bool event_ = false;
    bool result_open_ = false;  ///< "result" was the last envelope key: its end is still to be found
    const char* result_begin_ = nullptr;
    const char* result_end_ = nullptr;
};

/// Parses storage.line as a server line (`envelope`) or a bare result, filling `storage`.
/// nullopt when the text is not valid JSON (or is infinite numbers).
std::optional<Envelope> read(ReceivedResult::Storage& storage, bool envelope) {
    boost::json::parse_options options;
    // nlohmann, which decides what the wire protocol accepts, has no depth limit.
    options.max_depth = std::numeric_limits<std::size_t>::max();
    boost::json::basic_parser<LineHandler> parser(options, storage, envelope);
    error_code ec;
    const auto text = storage.line.view();
    const auto used = parser.write_some(false, text.data(), text.size(), ec);
    if (ec || used != text.size()) {
        return std::nullopt;
    }
    return parser.handler().finish();
}

}  // namespace

ReceivedResult::ReceivedResult(std::shared_ptr<const Storage> storage) : storage_(std::move(storage)) {}

ReceivedResult::ReceivedResult(const json& value) {
    auto storage = std::make_shared<Storage>();
    storage->line = LineBuffer(value.dump(-1, ' ', false, json::error_handler_t::replace));
    [[maybe_unused]] const auto read_back = read(*storage, false);
    assert(read_back && "nlohmann's own output is valid JSON");
    storage_ = std::move(storage);
}

std::string_view ReceivedResult::json_text() const { return storage_->text; }

const InstanceStatuses& ReceivedResult::statuses() const { return storage_->statuses; }

json ReceivedResult::value() const {
    auto parsed = json::parse(storage_->text, nullptr, false);
    assert(!parsed.is_discarded() && "the text was validated when it was received");
    return parsed;
}

ReceivedReply::ReceivedReply(std::int64_t reply_id, std::variant<ReceivedResult, control::Error> reply_body)
    : id(reply_id), body(std::move(reply_body)) {}

namespace {

/// What control::decode_server_line made of a reply line, received as vjctl receives it.
ReceivedReply from_decoded(const control::Reply& reply) {
    if (const auto* result = std::get_if<json>(&reply.body)) {
        return {reply.id, ReceivedResult(*result)};
    }
    return {reply.id, std::get<control::Error>(reply.body)};
}

/// The line that carries `reply`, read back: whatever form its body takes, the one path that
/// reads the daemon's replies makes it.
ReceivedReply encoded_and_received(const control::Reply& reply) {
    auto decoded = decode_server_line(LineBuffer(control::encode(reply)));
    assert(std::holds_alternative<ReceivedReply>(decoded) && "an encoded reply reads back as a reply");
    return std::get<ReceivedReply>(std::move(decoded));
}

}  // namespace

ReceivedReply::ReceivedReply(const control::Reply& reply) : ReceivedReply(encoded_and_received(reply)) {}

bool ReceivedReply::operator==(const ReceivedReply& other) const {
    if (id != other.id || body.index() != other.body.index()) {
        return false;
    }
    if (const auto* error = std::get_if<control::Error>(&body)) {
        return *error == std::get<control::Error>(other.body);
    }
    return std::get<ReceivedResult>(body).value() == std::get<ReceivedResult>(other.body).value();
}

std::variant<ReceivedReply, control::StreamEvent, control::Error> decode_server_line(LineBuffer line) {
    auto storage = std::make_shared<ReceivedResult::Storage>();
    storage->line = std::move(line);
    if (const auto envelope = read(*storage, true); envelope && envelope->fast) {
        const auto id = envelope->id;
        return ReceivedReply{id, ReceivedResult(std::move(storage))};
    }
    // Events, error replies, and whatever is odd or invalid: the protocol's own decoder.
    auto decoded = control::decode_server_line(storage->line.view());
    if (auto* reply = std::get_if<control::Reply>(&decoded)) {
        return from_decoded(*reply);
    }
    if (auto* event = std::get_if<control::StreamEvent>(&decoded)) {
        return std::move(*event);
    }
    return std::get<control::Error>(std::move(decoded));
}

}  // namespace vj::vjctl
