// Collects the loader's diagnostics and hands them back in file order.
#include "config/diagnostic_sink.hpp"

#include <algorithm>
#include <cassert>
#include <tuple>

namespace vj::config {

void DiagnosticSink::add(const Mark& where, std::string message) {
    assert(where.file != nullptr);
    entries_.push_back(Entry{where.file->order, Diagnostic{to_location(where), std::move(message)}});
}

std::vector<Diagnostic> DiagnosticSink::sorted() const {
    std::vector<Entry> entries = entries_;
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.order, a.diagnostic.where.line, a.diagnostic.where.column) <
               std::tie(b.order, b.diagnostic.where.line, b.diagnostic.where.column);
    });
    std::vector<Diagnostic> out;
    for (auto& entry : entries) {
        // Defaults are validated once on their own and again inside every service they are
        // merged into; the same mistake must be reported once.
        // After sorting, repeats sit in the run of entries at the same place at the end of `out`.
        bool repeat = false;
        for (auto it = out.rbegin(); it != out.rend() && it->where == entry.diagnostic.where; ++it)
            repeat = repeat || it->message == entry.diagnostic.message;
        if (!repeat) out.push_back(std::move(entry.diagnostic));
    }
    return out;
}

}  // namespace vj::config
