// docs/openapi.yaml against the server: the file is what the generator makes
// from the route tables, the server serves it, and every path and method it
// names is routed by a running server (no 404 or 405), with the same
// parameters and capability as the route table.
#include <yaml-cpp/yaml.h>

#include <set>

#include "server_fixture.hpp"

namespace endstate::server::detail {
std::string openapi_yaml();
}

namespace endstate::testing {
namespace {

TEST(OpenApi, FileIsGeneratedFromTheRouteTables) {
  const std::string file = read_file(source_dir() / "docs/openapi.yaml");
  EXPECT_EQ(file, server::detail::openapi_yaml())
      << "docs/openapi.yaml is stale: run build/dev/apps/endstate/endstate serve --openapi > docs/openapi.yaml";
}

TEST(OpenApi, ServedDescriptionIsTheFile) {
  auto& env = ServerEnv::get();
  auto r = env.client().Get("/api/openapi.yaml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, read_file(source_dir() / "docs/openapi.yaml"));
}

/// The members of an operation's JSON request body (none when it has no such body).
YAML::Node body_properties(const YAML::Node& op) {
  YAML::Node n = op;
  for (const char* k : {"requestBody", "content", "application/json", "schema", "properties"}) {
    if (!n.IsMap() || !n[k]) return YAML::Node(YAML::NodeType::Map);
    n = n[k];
  }
  return n;
}

TEST(OpenApi, EveryDescribedOperationIsRoutedWithItsParameters) {
  const YAML::Node doc = YAML::LoadFile((source_dir() / "docs/openapi.yaml").string());
  ASSERT_EQ(doc["openapi"].as<std::string>(), "3.1.0");
  std::map<std::string, server::RouteInfo> routes;
  for (const auto& r : server::Server::routes()) routes[r.method + " " + r.path] = r;
  std::set<std::string> described;
  auto& env = ServerEnv::get();
  auto cl = env.client();
  for (const auto& path : doc["paths"]) {
    const std::string p = path.first.as<std::string>();
    for (const auto& op : path.second) {
      std::string method = op.first.as<std::string>();
      for (auto& ch : method) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      const std::string key = method + " " + p;
      described.insert(key);
      const auto it = routes.find(key);
      ASSERT_NE(it, routes.end()) << key << " is described but the server has no such route";
      const auto& r = it->second;
      EXPECT_EQ(op.second["operationId"].as<std::string>(), r.operation) << key;
      EXPECT_EQ(op.second["x-endstate-capability"].as<std::string>(), std::string(server::to_string(r.needs))) << key;
      std::set<std::string> names;
      if (op.second["parameters"]) {
        for (const auto& prm : op.second["parameters"]) {
          if (prm["in"].as<std::string>() == "query") names.insert(prm["name"].as<std::string>());
        }
      }
      for (const auto& prm : body_properties(op.second)) names.insert(prm.first.as<std::string>());
      EXPECT_EQ(names, std::set<std::string>(r.params.begin(), r.params.end())) << key;
      // The live server routes it: anything but 404 (no route) and 405 (no method).
      std::string probe = p;
      for (const char* t : {"{id}", "{name}"}) {
        if (const auto i = probe.find(t); i != std::string::npos) probe.replace(i, std::string(t).size(), "1");
      }
      if (probe == "/api/schemas/1") probe = "/api/schemas/alerts.schema.json";
      httplib::Result res = method == "GET"      ? cl.Get(probe)
                            : method == "DELETE" ? cl.Delete(probe)
                                                 : cl.Post(probe, "{}", "application/json");
      ASSERT_TRUE(res) << key;
      EXPECT_NE(res->status, 404) << key;
      EXPECT_NE(res->status, 405) << key;
      if (r.needs != server::Capability::kNone) EXPECT_EQ(res->status, 401) << key;
    }
  }
  for (const auto& [key, r] : routes) EXPECT_TRUE(described.count(key)) << key << " is routed but not described";
  // And a path the description does not have is not routed.
  EXPECT_EQ(cl.Get("/api/plan")->status, 404);
}

}  // namespace
}  // namespace endstate::testing
