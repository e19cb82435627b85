// Collects the loader's diagnostics and hands them back in file order.
#pragma once

#include <string>
#include <vector>

#include "config/config_node.hpp"
#include "config/loader.hpp"

namespace vj::config {

/// Where every problem goes; nothing in the loader stops at the first one.
class DiagnosticSink {
public:
    /// Records `message` at `where` (a Mark with a null file is a bug in the loader).
    void add(const Mark& where, std::string message);
    /// How many problems have been recorded so far (duplicates included).
    std::size_t count() const { return entries_.size(); }
    /// Everything recorded, ordered by file reading order, line, column, then recording order;
    /// exact repeats (same place, same text) appear once.
    std::vector<Diagnostic> sorted() const;

private:
    struct Entry {
        int order;
        Diagnostic diagnostic;
    };
    std::vector<Entry> entries_;
};

}  // namespace vj::config
