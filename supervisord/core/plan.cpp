// Dependency gating, the start closure and the shutdown order over all services.
#include "core/plan.hpp"

#include <algorithm>

namespace vj::core {

std::vector<std::string> pending_dependencies(const ServiceSpec& spec, const StateIndex& states) {
    std::vector<std::string> pending;
    for (const auto& dep : spec.depends_on) {
        auto it = states.find(dep);
        const bool ready = it != states.end() && !it->second.empty() &&
                           std::all_of(it->second.begin(), it->second.end(),
                                       [](State s) { return s == State::running; });
        if (!ready) pending.push_back(dep);
    }
    return pending;
}

std::set<std::string> with_dependencies(const std::set<std::string>& names, const std::vector<ServiceSpec>& specs) {
    std::map<std::string, const ServiceSpec*> by_name;
    for (const auto& s : specs) by_name[s.name] = &s;
    std::set<std::string> out;
    std::vector<std::string> todo(names.begin(), names.end());
    while (!todo.empty()) {
        std::string n = std::move(todo.back());
        todo.pop_back();
        if (!out.insert(n).second) continue;
        if (auto it = by_name.find(n); it != by_name.end())
            for (const auto& d : it->second->depends_on) todo.push_back(d);
    }
    return out;
}

bool may_stop_in_shutdown(const std::string& name, const std::vector<ServiceSpec>& specs, const StateIndex& states) {
    for (const auto& s : specs) {
        if (std::find(s.depends_on.begin(), s.depends_on.end(), name) == s.depends_on.end()) continue;
        auto it = states.find(s.name);
        if (it == states.end()) continue;
        if (std::any_of(it->second.begin(), it->second.end(), [](State st) { return is_live(st); })) return false;
    }
    return true;
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (const auto& i : items) {
        if (!out.empty()) out += sep;
        out += i;
    }
    return out;
}

}  // namespace vj::core
