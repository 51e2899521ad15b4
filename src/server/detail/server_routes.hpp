#pragma once
// The routes the server answers itself (health, login, users, jobs, the
// OpenAPI description), described like the engine routes so that the route
// list (Server::routes) and docs/openapi.yaml cover both.

#include <string>
#include <vector>

#include "endstate/server/server.hpp"
#include "server/detail/params.hpp"

namespace endstate::server::detail {

struct ServerRouteSpec {
  RouteInfo info;
  std::string summary;
  std::vector<ParamSpec> params;  ///< query (GET, DELETE) or JSON body (POST)
  std::string response;           ///< OpenAPI component of the 200/201/202 answer ("" = none)
  int status = 200;               ///< success status
};

/// Every route the server answers itself.
const std::vector<ServerRouteSpec>& server_route_specs();

/// The OpenAPI 3.1 description of every route (docs/openapi.yaml).
std::string openapi_yaml();

/// docs/openapi.yaml and docs/schemas/*.json as built into the binary.
const std::string& embedded_openapi();
/// A schema file by name, or nullptr.
const std::string* embedded_schema(const std::string& name);
/// Names of the embedded schema files.
std::vector<std::string> embedded_schema_names();

}  // namespace endstate::server::detail
