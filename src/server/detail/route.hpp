#pragma once
// A route of the API: method, path, the capability it needs, its declared
// parameters and formats, and how it calls the engine. Each engine method has
// one route; the route parses its parameters into the engine's request
// (prepare) and returns the call (Run) that the server runs at once or as a
// job, writing the result with the same io writer as the CLI.
//
// Adding an analysis (a plan, a comparison) is one function returning its
// routes (routes_<noun>.cpp), listed in engine_routes() (routes.cpp), and its
// paths in docs/openapi.yaml.

#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "endstate/io/table.hpp"
#include "endstate/io/writers.hpp"
#include "endstate/server/accounts.hpp"
#include "endstate/service/engine.hpp"
#include "server/detail/params.hpp"

namespace endstate::server::detail {

/// A request the user's role does not allow in this form (403), e.g. a
/// signatory signing for another stakeholder; `field` names the parameter.
class Forbidden : public std::runtime_error {
 public:
  Forbidden(std::string field, const std::string& message) : std::runtime_error(message), field_(std::move(field)) {}
  [[nodiscard]] const std::string& field() const { return field_; }

 private:
  std::string field_;
};

/// A rendered response body.
struct Output {
  std::string content_type;
  std::string body;
  int status = 200;
};

/// What a route's prepare step sees.
struct Call {
  const Params& params;
  const std::string& body;  ///< Body::kText routes: the uploaded text
  const User& user;
  io::WriteOptions write;  ///< from the standard format, view and bom parameters
};

/// The engine call of one request, run on an engine leased for it (or a job's own engine).
using Run = std::function<Output(service::Engine&)>;

enum class Body {
  kNone,  ///< parameters in the query string
  kJson,  ///< parameters in a JSON object body
  kText,  ///< the body is a file's text (a framework YAML); parameters in the query string
};

struct Route {
  std::string method;     ///< GET, POST, DELETE
  std::string path;       ///< OpenAPI template
  std::string operation;  ///< operationId (and the job kind)
  std::string summary;
  std::string kind;  ///< the document kind written (docs/schemas/<kind>.schema.json)
  Capability needs = Capability::kRead;
  bool job = false;     ///< run in the background: 202 + job URL
  bool writes = false;  ///< changes the store: never cached
  Body body = Body::kNone;
  std::vector<ParamSpec> params;     ///< without format, view and bom (added from formats and views)
  std::vector<std::string> formats;  ///< first = default
  std::vector<std::string> views;    ///< first = default; empty = none
  std::function<Run(const Call&)> prepare;
};

/// "application/json", "application/geo+json", "text/csv; charset=utf-8".
std::string content_type(io::Format f);
/// The content type of the HTML pages some routes render (format html).
inline constexpr const char* kHtml = "text/html; charset=utf-8";

/// The result written by its io writer.
template <class Result>
Output render(const Result& r, const io::WriteOptions& o) {
  std::ostringstream s;
  io::write(s, r, o);
  return {content_type(o.format), s.str()};
}

/// Every engine route (data, threat, forecast, benchmarks, footprint, published maps).
std::vector<Route> engine_routes();

std::vector<Route> data_routes();        // routes_data.cpp
std::vector<Route> threat_routes();      // routes_threat.cpp
std::vector<Route> forecast_routes();    // routes_forecast.cpp
std::vector<Route> benchmarks_routes();  // routes_benchmarks.cpp (and the audit log)
std::vector<Route> footprint_routes();   // routes_footprint.cpp
std::vector<Route> plan_routes();        // routes_plan.cpp (plan, tasks, policy comparison, ready-by, backtest)
std::vector<Route> report_routes();      // routes_report.cpp (notices, Council report, consultation log)
std::vector<Route> published_routes();   // routes_published.cpp (what the public role sees)

/// The standard parameters a route gets from its formats and views.
std::vector<ParamSpec> all_params(const Route& r);
/// format, view and bom as writer options (format html: the route renders the page itself).
io::WriteOptions write_options(const Route& r, const Params& p);
/// The request asks for format html.
bool is_html(const Params& p);

}  // namespace endstate::server::detail
