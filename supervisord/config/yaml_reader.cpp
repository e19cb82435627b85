// Reads one YAML file into a ConfigNode tree, expanding ${VAR} references in its scalars.
#include "config/yaml_reader.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include "config/expand.hpp"

namespace vj::config {
namespace {

// yaml-cpp expands aliases into copies; a few nested anchors can ask for billions of nodes
// (the "billion laughs" document). A real services.yaml is far below this.
constexpr std::size_t node_budget = 500'000;

class Converter {
public:
    Converter(const SourceFile& file, const Environment& env, DiagnosticSink& sink)
        : file_(file), env_(env), sink_(sink) {}

    /// Fails only when the document is too large.
    bool convert(const YAML::Node& in, ConfigNode& out, const Mark& fallback) {
        if (++nodes_ > node_budget) {
            if (!over_budget_) sink_.add(fallback, fmt::format("the document expands to more than {} nodes", node_budget));
            over_budget_ = true;
            return false;
        }
        out.where = mark_of(in, fallback);
        switch (in.Type()) {
            case YAML::NodeType::Scalar: return scalar(in, out);
            case YAML::NodeType::Sequence:
                out.kind = ConfigNode::Kind::sequence;
                for (const auto& item : in) {
                    out.items.emplace_back();
                    if (!convert(item, out.items.back(), out.where)) return false;
                }
                return true;
            case YAML::NodeType::Map: return map(in, out);
            case YAML::NodeType::Null:
            case YAML::NodeType::Undefined: out.kind = ConfigNode::Kind::null; return true;
        }
        return true;
    }

private:
    Mark mark_of(const YAML::Node& node, const Mark& fallback) const {
        const YAML::Mark m = node.Mark();
        if (m.is_null() || m.line < 0) return fallback;
        return Mark{&file_, m.line + 1, m.column + 1};
    }

    bool scalar(const YAML::Node& in, ConfigNode& out) {
        out.kind = ConfigNode::Kind::scalar;
        // yaml-cpp tags plain scalars "?" and quoted or block ones "!"; only plain ones are typed.
        out.plain = in.Tag() == "?";
        auto expanded = expand_variables(in.Scalar(), env_);
        if (expanded) {
            out.text = std::move(*expanded.value);
        } else {
            out.text = in.Scalar();
            out.expansion_failed = true;
            sink_.add(out.where, std::move(expanded.error));
        }
        return true;
    }

    bool map(const YAML::Node& in, ConfigNode& out) {
        out.kind = ConfigNode::Kind::map;
        for (auto it = in.begin(); it != in.end(); ++it) {
            const Mark key_where = mark_of(it->first, out.where);
            if (!it->first.IsScalar()) {
                sink_.add(key_where, "expected a plain key (a name), got a complex key");
                continue;
            }
            MapEntry entry{it->first.Scalar(), key_where, {}};
            if (!convert(it->second, entry.value, key_where)) return false;
            // yaml-cpp places an omitted value ("cwd:" then a newline) at the next token, which
            // would point messages at the wrong line; the key is where the user looks.
            if (entry.value.is_null()) entry.value.where = key_where;
            out.entries.push_back(std::move(entry));
        }
        return true;
    }

    const SourceFile& file_;
    const Environment& env_;
    DiagnosticSink& sink_;
    std::size_t nodes_ = 0;
    bool over_budget_ = false;
};

}  // namespace

std::optional<ConfigNode> parse_config_text(std::string_view text, const SourceFile& file, const Environment& env,
                                            DiagnosticSink& sink) {
    const Mark top{&file, 1, 1};
    YAML::Node document;
    try {
        document = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
        const Mark where = e.mark.is_null() ? Mark{&file, 0, 0} : Mark{&file, e.mark.line + 1, e.mark.column + 1};
        sink.add(where, fmt::format("invalid YAML: {}", e.msg));
        return std::nullopt;
    } catch (const YAML::Exception& e) {
        sink.add(Mark{&file, 0, 0}, fmt::format("invalid YAML: {}", e.msg));
        return std::nullopt;
    }
    ConfigNode root;
    try {
        Converter converter(file, env, sink);
        if (!converter.convert(document, root, top)) return std::nullopt;
    } catch (const YAML::Exception& e) {
        // Walking a parsed document should not throw; if this yaml-cpp does, say where it happened.
        sink.add(Mark{&file, 0, 0}, fmt::format("invalid YAML: {}", e.msg));
        return std::nullopt;
    }
    return root;
}

std::optional<ConfigNode> read_config_file(const SourceFile& file, const Environment& env, DiagnosticSink& sink) {
    const Mark nowhere{&file, 0, 0};
    std::error_code ec;
    const auto status = std::filesystem::status(file.display, ec);
    if (ec) {
        sink.add(nowhere, fmt::format("cannot read: {}", ec.message()));
        return std::nullopt;
    }
    if (std::filesystem::is_directory(status)) {
        sink.add(nowhere, fmt::format("cannot read: {}", std::make_error_code(std::errc::is_a_directory).message()));
        return std::nullopt;
    }
    std::ifstream in(file.display, std::ios::binary);
    if (!in) {
        // std::ifstream leaves errno from open(2) in place on Linux; it is the only reason we get.
        const int err = errno;
        sink.add(nowhere, fmt::format("cannot read: {}", std::generic_category().message(err)));
        return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
        sink.add(nowhere, fmt::format("cannot read: {}", std::make_error_code(std::errc::io_error).message()));
        return std::nullopt;
    }
    return parse_config_text(text.str(), file, env, sink);
}

}  // namespace vj::config
