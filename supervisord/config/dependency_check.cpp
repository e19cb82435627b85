// Checks between services once every file is read: unknown dependencies and dependency cycles.
#include "config/dependency_check.hpp"

#include <map>
#include <string>

#include <fmt/format.h>

namespace vj::config {
namespace {

struct Edge {
    std::size_t to;
    const DependencyRef* ref;
};

class CycleFinder {
public:
    CycleFinder(const std::vector<ServiceRead>& services, std::vector<std::vector<Edge>> edges, DiagnosticSink& sink)
        : services_(services), edges_(std::move(edges)), colour_(services.size(), Colour::white), sink_(sink) {}

    void run() {
        // Visiting in file order names each cycle from its service that comes first in the files.
        for (std::size_t i = 0; i < services_.size(); ++i)
            if (colour_[i] == Colour::white) visit(i);
    }

private:
    enum class Colour { white, grey, black };

    // Depth is bounded by the number of services (thousands at most), fine for the stack.
    void visit(std::size_t node) {
        colour_[node] = Colour::grey;
        path_.push_back(node);
        for (std::size_t e = 0; e < edges_[node].size(); ++e) {
            const Edge& edge = edges_[node][e];
            path_edges_.push_back(edge.ref);
            if (colour_[edge.to] == Colour::grey) report(edge.to);
            else if (colour_[edge.to] == Colour::white) visit(edge.to);
            path_edges_.pop_back();
        }
        path_.pop_back();
        colour_[node] = Colour::black;
    }

    /// A back edge to `start`, which is on the current path: the cycle is path_[start...] + start.
    void report(std::size_t start) {
        std::size_t first = 0;
        while (path_[first] != start) ++first;
        std::string cycle;
        for (std::size_t i = first; i < path_.size(); ++i) cycle += services_[path_[i]].spec.name + " -> ";
        cycle += services_[start].spec.name;
        sink_.add(path_edges_[first]->where, fmt::format("dependency cycle: {}", cycle));
    }

    const std::vector<ServiceRead>& services_;
    std::vector<std::vector<Edge>> edges_;
    std::vector<Colour> colour_;
    std::vector<std::size_t> path_;
    std::vector<const DependencyRef*> path_edges_;  ///< path_edges_[i] leaves path_[i]
    DiagnosticSink& sink_;
};

}  // namespace

void check_dependencies(const std::vector<ServiceRead>& services, DiagnosticSink& sink) {
    std::map<std::string, std::size_t, std::less<>> index;
    for (std::size_t i = 0; i < services.size(); ++i) index.emplace(services[i].spec.name, i);

    std::vector<std::vector<Edge>> edges(services.size());
    for (std::size_t i = 0; i < services.size(); ++i) {
        for (const auto& dependency : services[i].depends_on) {
            const auto found = index.find(dependency.name);
            if (found == index.end()) {
                sink.add(dependency.where, fmt::format("service '{}' depends on unknown service '{}'",
                                                       services[i].spec.name, dependency.name));
                continue;
            }
            edges[i].push_back(Edge{found->second, &dependency});
        }
    }
    CycleFinder(services, std::move(edges), sink).run();
}

}  // namespace vj::config
