// The server's own routes and the OpenAPI 3.1 description of every route,
// generated from the route tables (docs/openapi.yaml is this text; a test
// compares them and probes the running server with every path).
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "endstate/core/error.hpp"
#include "server/detail/route.hpp"
#include "server/detail/server_routes.hpp"

namespace endstate::server::detail {

const std::vector<ServerRouteSpec>& server_route_specs() {
  static const std::vector<ServerRouteSpec> kSpecs = [] {
    auto info = [](std::string method, std::string path, std::string op, Capability c) {
      RouteInfo i;
      i.method = std::move(method);
      i.path = std::move(path);
      i.operation = std::move(op);
      i.needs = c;
      return i;
    };
    auto required = [](ParamSpec p) {
      p.required = true;
      return p;
    };
    std::vector<ServerRouteSpec> v;
    v.push_back(
        {info("GET", "/api/health", "health", Capability::kNone), "Liveness: answers without a login.", {}, "Health"});
    v.push_back({info("GET", "/api/openapi.yaml", "openapi", Capability::kNone), "This description.", {}, ""});
    v.push_back({info("GET", "/api/schemas/{name}", "schema", Capability::kNone),
                 "A JSON Schema of the documents (docs/schemas).",
                 {},
                 ""});
    v.push_back({info("POST", "/api/login", "login", Capability::kNone),
                 "Exchange a name and password for a bearer token. Failed logins are throttled per name and per "
                 "address (429 with Retry-After).",
                 {required(str_param("name", "user name")), required(str_param("password", "password"))},
                 "Login"});
    v.push_back({info("POST", "/api/logout", "logout", Capability::kPublished),
                 "Revoke the token of this request.",
                 {},
                 "",
                 204});
    v.push_back(
        {info("GET", "/api/me", "me", Capability::kPublished), "The logged-in user, role and capabilities.", {}, "Me"});
    v.push_back(
        {info("GET", "/api/users", "users_list", Capability::kAdmin), "Every user (administrators).", {}, "Users"});
    v.push_back({info("POST", "/api/users", "users_add", Capability::kAdmin),
                 "Add a user (administrators); audited with the administrator.",
                 {required(str_param("name", "1-64 letters, digits and . _ - @")),
                  required(str_param("role", "public, analyst, planner, signatory:<stakeholder> or admin")),
                  required(str_param("password", "12 to 1024 bytes"))},
                 "User",
                 201});
    v.push_back({info("DELETE", "/api/users/{name}", "users_revoke", Capability::kAdmin),
                 "Revoke a user and every token of theirs (administrators); audited.",
                 {},
                 "User"});
    v.push_back(
        {info("GET", "/api/jobs", "jobs_list", Capability::kRun),
         "Jobs, newest first.",
         {str_param("operation", "only jobs of this operation (e.g. threat_hotspots)"),
          choice_param("state", "only jobs in this state", {"queued", "running", "done", "failed", "cancelled"}, ""),
          bool_param("mine", "only my jobs"), int_param("limit", "at most this many", "50", 1, 200)},
         "Jobs"});
    v.push_back({info("GET", "/api/jobs/{id}", "job_status", Capability::kRun),
                 "A job's state and progress; its result URL once done, its problem when it failed.",
                 {},
                 "Job"});
    v.push_back({info("GET", "/api/jobs/{id}/result", "job_result", Capability::kRun),
                 "The document a finished job wrote (409 until it is done).",
                 {},
                 ""});
    v.push_back({info("DELETE", "/api/jobs/{id}", "job_cancel", Capability::kRun),
                 "Cancel one's own job: at once when queued; when running, at the engine's next check (a call "
                 "that has none runs to its end and its result is discarded).",
                 {},
                 "Job",
                 202});
    v.push_back({info("POST", "/api/jobs/{id}/publish", "job_publish", Capability::kPlan),
                 "Publish a finished notices or Council report job for the public role (planners); audited. The "
                 "public then reads it at /api/published/notices or /api/published/report.",
                 {},
                 "Job",
                 201});
    v.push_back({info("GET", "/api/published/notices", "published_notices", Capability::kPublished),
                 "The public notices last published (the document of the notices job a planner published: HTML, "
                 "CSV or JSON as it was made); 404 until some are published.",
                 {},
                 ""});
    v.push_back({info("GET", "/api/published/report", "published_report", Capability::kPublished),
                 "The Council report last published (HTML); 404 until one is published.",
                 {},
                 ""});
    for (auto& s : v) {
      for (const auto& p : s.params) s.info.params.push_back(p.name);
    }
    return v;
  }();
  return kSpecs;
}

namespace {

std::string quote(const std::string& s) {
  std::string o = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') o += '\\';
    o += c;
  }
  return o + "\"";
}

std::string number_text(double v) {
  std::ostringstream s;
  s.precision(15);
  s << v;
  return s.str();
}

void param_schema(std::ostringstream& y, const ParamSpec& p, const std::string& ind) {
  switch (p.type) {
    case ParamType::kInteger:
      y << ind << "type: integer\n";
      break;
    case ParamType::kNumber:
      y << ind << "type: number\n";
      break;
    case ParamType::kBoolean:
      y << ind << "type: boolean\n";
      break;
    case ParamType::kMonth:
      y << ind << "type: string\n" << ind << "pattern: \"^[0-9]{4}-(0[1-9]|1[0-2])$\"\n";
      break;
    case ParamType::kList:
      if (p.document) {
        y << ind << "type: array\n" << ind << "items: {type: string}\n";
        break;
      }
      y << ind << "oneOf:\n"
        << ind << "  - type: string\n"
        << ind << "    description: comma-separated\n"
        << ind << "  - type: array\n"
        << ind << "    items: {type: string}\n";
      break;
    case ParamType::kChoice: {
      y << ind << "type: string\n" << ind << "enum: [";
      for (std::size_t i = 0; i < p.choices.size(); ++i) y << (i ? ", " : "") << quote(p.choices[i]);
      y << "]\n";
      break;
    }
    case ParamType::kString:
      y << ind << "type: string\n";
      break;
  }
  if (p.type == ParamType::kInteger || p.type == ParamType::kNumber) {
    if (std::isfinite(p.lo) && p.lo > -1e300) y << ind << "minimum: " << number_text(p.lo) << "\n";
    if (std::isfinite(p.hi) && p.hi < 1e300) y << ind << "maximum: " << number_text(p.hi) << "\n";
  }
  if (!p.default_value.empty()) {
    if (p.type == ParamType::kInteger || p.type == ParamType::kNumber || p.type == ParamType::kBoolean) {
      y << ind << "default: " << p.default_value << "\n";
    } else {
      y << ind << "default: " << quote(p.default_value) << "\n";
    }
  }
}

void query_params(std::ostringstream& y, const std::vector<ParamSpec>& params, const std::string& path) {
  std::vector<std::string> in_path;
  for (std::size_t i = path.find('{'); i != std::string::npos; i = path.find('{', i + 1)) {
    in_path.push_back(path.substr(i + 1, path.find('}', i) - i - 1));
  }
  if (params.empty() && in_path.empty()) return;
  y << "      parameters:\n";
  for (const auto& n : in_path) {
    y << "        - name: " << n
      << "\n          in: path\n          required: true\n          schema: {type: string}\n";
  }
  for (const auto& p : params) {
    y << "        - name: " << p.name << "\n          in: query\n";
    if (p.required) y << "          required: true\n";
    y << "          description: " << quote(p.help) << "\n          schema:\n";
    param_schema(y, p, "            ");
  }
}

void json_body(std::ostringstream& y, const std::vector<ParamSpec>& params) {
  y << "      requestBody:\n        required: false\n        content:\n          application/json:\n"
    << "            schema:\n              type: object\n              additionalProperties: false\n";
  std::vector<std::string> req;
  if (!params.empty()) y << "              properties:\n";
  for (const auto& p : params) {
    if (p.required) req.push_back(p.name);
    y << "                " << p.name << ":\n                  description: " << quote(p.help) << "\n";
    param_schema(y, p, "                  ");
  }
  if (!req.empty()) {
    y << "              required: [";
    for (std::size_t i = 0; i < req.size(); ++i) y << (i ? ", " : "") << req[i];
    y << "]\n";
  }
}

void problems(std::ostringstream& y, bool auth) {
  for (const auto& [code, what] :
       std::vector<std::pair<int, const char*>>{{400, "a parameter is wrong (field names it)"},
                                                {401, "no valid token"},
                                                {403, "the role may not do this"},
                                                {404, "nothing found"},
                                                {409, "the store is locked, or the job is not in a state for this"},
                                                {413, "the body is too large"},
                                                {422, "an input is wrong (field, file and line name it)"},
                                                {429, "too many failed logins"},
                                                {500, "a defect in endstate"},
                                                {503, "the environment refused (disk, time limit, too many jobs)"}}) {
    if (!auth && (code == 401 || code == 403)) continue;
    y << "        \"" << code << "\":\n          description: " << quote(what)
      << "\n          content:\n            application/problem+json:\n              schema: {$ref: "
         "\"#/components/schemas/Problem\"}\n";
  }
}

std::string media(const std::string& format) {
  if (format == "geojson") return "application/geo+json";
  if (format == "csv") return "text/csv";
  if (format == "html") return "text/html";
  return "application/json";
}

const char* kComponents = R"(components:
  securitySchemes:
    bearer:
      type: http
      scheme: bearer
      description: "an opaque token from POST /api/login"
  schemas:
    Problem:
      type: object
      description: "RFC 9457 problem document"
      required: [type, title, status, detail, instance]
      properties:
        type: {type: string, description: "urn:endstate:problem:usage | bad-input | not-found | locked | environment | internal | unauthorized | forbidden | throttled | too-large | media-type | method-not-allowed"}
        title: {type: string}
        status: {type: integer}
        detail: {type: string}
        instance: {type: string}
        field: {type: string, description: "the parameter or body member that is wrong"}
        file: {type: string}
        line: {type: integer}
        exit_code: {type: integer, description: "the CLI's exit code for the same error"}
    Health:
      type: object
      required: [format_version, kind, status, schema_version]
      properties:
        format_version: {const: 1}
        kind: {const: health}
        status: {const: ok}
        schema_version: {type: integer}
    UserEntry:
      type: object
      required: [name, role, created_at, created_by, revoked_at]
      properties:
        name: {type: string}
        role: {type: string}
        created_at: {type: string}
        created_by: {type: string}
        revoked_at: {type: [string, "null"]}
    User:
      allOf:
        - $ref: "#/components/schemas/UserEntry"
        - type: object
          required: [format_version, kind]
          properties:
            format_version: {const: 1}
            kind: {const: user}
    Users:
      type: object
      required: [format_version, kind, users]
      properties:
        format_version: {const: 1}
        kind: {const: users}
        users: {type: array, items: {$ref: "#/components/schemas/UserEntry"}}
    Login:
      type: object
      required: [format_version, kind, token, expires_at, user]
      properties:
        format_version: {const: 1}
        kind: {const: login}
        token: {type: string}
        expires_at: {type: string}
        user: {$ref: "#/components/schemas/UserEntry"}
    Me:
      type: object
      required: [format_version, kind, name, role, stakeholder, capabilities]
      properties:
        format_version: {const: 1}
        kind: {const: me}
        name: {type: string}
        role: {type: string}
        stakeholder: {type: [string, "null"]}
        capabilities: {type: array, items: {enum: [published, read_benchmarks, read, run, plan, sign, admin, audit]}}
    Job:
      type: object
      required: [format_version, kind, id, operation, state, user, params, created_at, started_at, finished_at, progress, warnings, url, result, content_type, problem]
      properties:
        format_version: {const: 1}
        kind: {const: job}
        id: {type: integer}
        operation: {type: string}
        state: {enum: [queued, running, done, failed, cancelled]}
        user: {type: string}
        params: {type: object}
        created_at: {type: string}
        started_at: {type: [string, "null"]}
        finished_at: {type: [string, "null"]}
        progress:
          type: object
          required: [stage, done, total]
          properties:
            stage: {type: string}
            done: {type: integer}
            total: {type: integer, description: "0 = unknown"}
        warnings: {type: array, items: {type: string}}
        url: {type: string}
        result: {type: [string, "null"], description: "URL of the document once done"}
        content_type: {type: [string, "null"]}
        problem: {oneOf: [{type: "null"}, {$ref: "#/components/schemas/Problem"}]}
    Jobs:
      type: object
      required: [format_version, kind, jobs]
      properties:
        format_version: {const: 1}
        kind: {const: jobs}
        jobs: {type: array, items: {$ref: "#/components/schemas/Job"}}
)";

}  // namespace

std::string openapi_yaml() {
  std::ostringstream y;
  y << "# Generated by `endstate serve --openapi` from the server's route tables; do not edit\n"
       "# (tests/server/openapi_test.cpp compares this file with the generator and probes\n"
       "# every path on a running server). Document schemas: docs/schemas/.\n";
  y << "openapi: 3.1.0\ninfo:\n  title: endstate API\n  version: \"1\"\n  description: >-\n"
       "    The HTTP API of `endstate serve`: the same engine and the same JSON, GeoJSON and CSV\n"
       "    documents as the CLI (docs/cli.md, docs/schemas). Long work runs as jobs (202 and a\n"
       "    job URL to poll). Errors are RFC 9457 problem documents naming the wrong field. Each\n"
       "    operation states the capability it needs (x-endstate-capability); roles grant\n"
       "    capabilities (docs/server.md).\n";
  y << "servers:\n  - url: /\nsecurity:\n  - bearer: []\npaths:\n";
  // Paths in order, each with its methods.
  std::map<std::string, std::vector<std::string>> methods;
  std::vector<std::string> order;
  const auto engine = engine_routes();
  const auto& own = server_route_specs();
  auto note = [&](const std::string& path, const std::string& m) {
    if (!methods.count(path)) order.push_back(path);
    methods[path].push_back(m);
  };
  for (const auto& s : own) note(s.info.path, s.info.method);
  for (const auto& r : engine) note(r.path, r.method);
  const auto schemas = embedded_schema_names();
  const std::set<std::string> have(schemas.begin(), schemas.end());
  for (const auto& path : order) {
    y << "  " << path << ":\n";
    for (const auto& m : methods[path]) {
      std::string lower = m;
      for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      const ServerRouteSpec* sp = nullptr;
      const Route* rp = nullptr;
      for (const auto& s : own)
        if (s.info.path == path && s.info.method == m) sp = &s;
      for (const auto& r : engine)
        if (r.path == path && r.method == m) rp = &r;
      y << "    " << lower << ":\n";
      if (sp) {
        y << "      operationId: " << sp->info.operation << "\n      summary: " << quote(sp->summary) << "\n";
        y << "      x-endstate-capability: " << to_string(sp->info.needs) << "\n";
        if (sp->info.needs == Capability::kNone) y << "      security: []\n";
        if (m == "POST") {
          json_body(y, sp->params);
          if (!path.empty() && path.find('{') != std::string::npos) query_params(y, {}, path);
        } else {
          query_params(y, sp->params, path);
        }
        y << "      responses:\n        \"" << sp->status << "\":\n          description: ok\n";
        if (!sp->response.empty()) {
          y << "          content:\n            application/json:\n              schema: {$ref: \"#/components/schemas/"
            << sp->response << "\"}\n";
        } else if (sp->info.operation == "openapi") {
          y << "          content:\n            application/yaml: {}\n";
        } else if (sp->info.operation == "schema") {
          y << "          content:\n            application/schema+json: {}\n";
        } else if (sp->info.operation == "job_result") {
          y << "          content:\n            application/json: {}\n            application/geo+json: {}\n"
               "            text/csv: {}\n            text/html: {}\n";
        }
        problems(y, sp->info.needs != Capability::kNone);
        continue;
      }
      const Route& r = *rp;
      y << "      operationId: " << r.operation << "\n      summary: " << quote(r.summary) << "\n";
      y << "      x-endstate-capability: " << to_string(r.needs) << "\n";
      y << "      x-endstate-kind: " << r.kind << "\n";
      if (r.job) y << "      x-endstate-job: true\n";
      const auto params = all_params(r);
      if (r.body == Body::kJson) {
        json_body(y, params);
      } else {
        query_params(y, params, path);
        if (r.body == Body::kText) {
          y << "      requestBody:\n        required: true\n        content:\n          application/yaml:\n"
               "            schema: {type: string}\n          text/plain:\n            schema: {type: string}\n";
        }
      }
      y << "      responses:\n";
      if (r.job) {
        y << "        \"202\":\n          description: \"queued; poll the job (Location header); its result is the "
          << r.kind << " document\"\n          headers:\n            Location:\n              schema: {type: string}\n"
          << "          content:\n            application/json:\n              schema: {$ref: "
             "\"#/components/schemas/Job\"}\n";
      } else {
        y << "        \"" << (r.writes && r.method == "POST" ? 201 : 200) << "\":\n          description: the "
          << r.kind << " document\n          content:\n";
        for (const auto& f : r.formats) {
          y << "            " << media(f) << ":";
          const std::string file = r.kind + (f == "geojson" ? ".geojson" : "") + ".schema.json";
          if (f != "csv" && f != "html" && have.count(file)) {
            y << "\n              schema: {$ref: \"/api/schemas/" << file << "\"}\n";
          } else {
            y << " {}\n";
          }
        }
      }
      problems(y, true);
    }
  }
  y << kComponents;
  return y.str();
}

}  // namespace endstate::server::detail
