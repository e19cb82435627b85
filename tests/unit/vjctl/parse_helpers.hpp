// Test helper: parse a vjctl command line that must parse.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <variant>
#include <vector>

#include "cli.hpp"

namespace vj::vjctl::test_support {

/// The Invocation for `args`; a test failure (and an empty Invocation) if it exits early instead.
inline Invocation parse_ok(const std::vector<std::string>& args) {
    auto parsed = parse_command_line(args);
    if (auto* early = std::get_if<EarlyExit>(&parsed)) {
        ADD_FAILURE() << "did not parse: " << early->err;
        return {};
    }
    return std::get<Invocation>(parsed);
}

}  // namespace vj::vjctl::test_support
