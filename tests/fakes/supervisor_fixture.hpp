// A Supervisor on the fakes (clock, launcher, probes) in a private temp dir, for shell tests.
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <boost/asio/io_context.hpp>

#include "fakes/fake_launcher.hpp"
#include "fakes/fake_probes.hpp"
#include "runtime/supervisor.hpp"

namespace vj::fakes {

class SupervisorFixture : public ::testing::Test {
protected:
    SupervisorFixture()
        : dir_(std::filesystem::temp_directory_path() / ("vj-sup-test-" + std::to_string(::getpid()))) {}
    ~SupervisorFixture() override { std::filesystem::remove_all(dir_); }

    runtime::Supervisor& make(std::vector<core::ServiceSpec> services) {
        core::Config config;
        config.file = (dir_ / "services.yaml").string();
        config.supervisor.state_dir = (dir_ / "state").string();
        config.supervisor.log_dir = (dir_ / "log").string();
        config.services = std::move(services);
        sup_ = std::make_unique<runtime::Supervisor>(io_, std::move(config), clock_, launcher_, &probes_);
        return *sup_;
    }
    runtime::Instance* find(const std::string& name) {
        std::string unmatched;
        auto v = sup_->match({name}, unmatched);
        return v.empty() ? nullptr : v.front();
    }
    core::State state(const std::string& name) { return find(name)->state.state; }
    void exit(const std::string& name, core::ExitStatus status) {
        sup_->process_exited(launcher_.pid_of.at(name), status);
    }

    std::filesystem::path dir_;
    boost::asio::io_context io_;
    FakeClock clock_;
    FakeLauncher launcher_;
    FakeProbes probes_;
    std::unique_ptr<runtime::Supervisor> sup_;
};

}  // namespace vj::fakes
