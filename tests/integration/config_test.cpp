// A bad services.yaml: supervisord and vjctl check name every problem by file:line:column and start nothing.
#include <gtest/gtest.h>

#include <fstream>

#include "integration/harness.hpp"

namespace vj::test {
namespace {

TEST(Config, SupervisordRefusesABadConfigNamingEveryError) {
    TempDir dir;
    const auto file = (dir / "services.yaml").string();
    std::ofstream(file) << "version: 1\n"
                           "supervisor:\n"
                           "  socket: " << (dir / "s.sock").string() << "\n"
                           "services:\n"
                           "  web:\n"
                           "    command: [sleep, '1000']\n"
                           "    restat: { policy: always }\n"
                           "    depends_on: [db]\n";
    auto r = run_command({VJ_SUPERVISORD_BIN, "-c", file});
    EXPECT_EQ(r.exit_code, 1);
    EXPECT_NE(r.err.find(file + ":7:5: error: unknown key 'restat' in service 'web'; did you mean 'restart'?"),
              std::string::npos) << r.err;
    EXPECT_NE(r.err.find(file + ":8:18: error: service 'web' depends on unknown service 'db'"), std::string::npos)
        << r.err;
    EXPECT_FALSE(std::filesystem::exists(dir / "s.sock"));  // nothing started, nothing listening

    auto check = run_command({VJ_VJCTL_BIN, "check", file});
    EXPECT_EQ(check.exit_code, 1);
    EXPECT_EQ(check.err, r.err.substr(0, r.err.find("supervisord: error:")));
}

TEST(Config, CheckOnlyValidatesAValidConfig) {
    TempDir dir;
    const auto file = (dir / "services.yaml").string();
    std::ofstream(file) << "version: 1\nsupervisor: { socket: " << (dir / "s.sock").string()
                        << " }\nservices:\n  a: { command: [sleep, '1'] }\n";
    auto r = run_command({VJ_SUPERVISORD_BIN, "--check", "-c", file});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, file + ": ok (1 services)\n");
    EXPECT_FALSE(std::filesystem::exists(dir / "s.sock"));
    EXPECT_EQ(run_command({VJ_VJCTL_BIN, "check", file}).exit_code, 0);
}

TEST(Config, TheShippedRigAndExampleAreValid) {
    for (const char* file : {"/etc/services.yaml", "/etc/examples/behaviours.yaml"}) {
        auto r = run_command({VJ_VJCTL_BIN, "check", std::string(VJ_SOURCE_DIR) + file});
        EXPECT_EQ(r.exit_code, 0) << file << ": " << r.err;
    }
}

}  // namespace
}  // namespace vj::test
