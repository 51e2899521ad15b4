// endstate benchmarks ... and endstate audit ... end to end on Carana: import
// and validation, assessment, disagreements, projections, history, sign-off,
// versions that never rewrite past assessments, and audit tampering detected.
#include <regex>

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

using json = nlohmann::json;

class BenchmarksCli : public CliFixture {
 protected:
  /// Builds the Carana demo (which imports its framework and saves the
  /// assessment of its last month: audit entries 1 and 2) and imports the
  /// framework again (identical: nothing added); returns the --db path.
  std::string demo() {
    db = demo_store();
    const auto i =
        run({"--db", db, "benchmarks", "import", path("demo") + "/inputs/framework.yaml", "--format", "json"});
    EXPECT_EQ(i.code, 0) << i.err;
    return db;
  }
  RunResult bm(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db});
    return run(args);
  }
  /// Runs SQLite-dialect SQL on the store behind the program's back, as
  /// someone holding the file (or the schema owner's role on PostgreSQL, where
  /// the statements are translated: triggers are disabled instead of dropped,
  /// foreign keys are always on); true when it succeeded.
  bool try_sql(const std::string& file, const std::string& statement, std::string* error = nullptr) const {
    if (on_server()) {
      std::string pg =
          std::regex_replace(statement, std::regex("DROP TRIGGER (IF EXISTS )?audit_log_no_[a-z]+; *"), "");
      pg = std::regex_replace(pg, std::regex("PRAGMA foreign_keys = ON; *"), "");
      if (pg != statement) pg = "ALTER TABLE audit_log DISABLE TRIGGER USER; " + pg;
      std::string out;
      const int rc = scratch_->psql(pg, &out);
      if (error) *error = out;
      return rc == 0;
    }
    sqlite3* h = nullptr;
    if (sqlite3_open(file.c_str(), &h) != SQLITE_OK) return false;
    char* err = nullptr;
    const int rc = sqlite3_exec(h, statement.c_str(), nullptr, nullptr, &err);
    if (error) *error = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(h);
    return rc == SQLITE_OK;
  }
  void sql(const std::string& file, const std::string& statement) const {
    std::string error;
    EXPECT_TRUE(try_sql(file, statement, &error)) << statement << ": " << error;
  }
  std::string db;
};

TEST_F(BenchmarksCli, CaranaReadinessDisagreementsProjections) {
  demo();
  const auto a = bm({"benchmarks", "assess", "--format", "json"});
  ASSERT_EQ(a.code, 0) << a.err;
  const auto j = json::parse(a.out);
  EXPECT_EQ(j["month"], "2024-12");
  EXPECT_EQ(j["framework_version"], 1);
  EXPECT_EQ(j["data_fingerprint"].get<std::string>().size(), 64u);
  ASSERT_EQ(j["areas"].size(), 8u);
  std::map<std::string, int> ready;  // stakeholders for whom each province is ready
  for (const auto& ar : j["areas"]) {
    ASSERT_EQ(ar["stakeholders"].size(), 4u);
    for (const auto& s : ar["stakeholders"]) ready[ar["id"]] += s["readiness"] == "ready" ? 1 : 0;
  }
  // Carana's scripted trajectories (default seed): Kalemba stabilises, Sumora
  // deteriorates, Tembeli escalates (docs/carana.md).
  EXPECT_GE(ready["kalemba"], 3);
  EXPECT_EQ(ready["sumora"], 0);
  EXPECT_EQ(ready["tembeli"], 0);

  const auto d = bm({"benchmarks", "disagreements", "--format", "json"});
  ASSERT_EQ(d.code, 0) << d.err;
  const auto dj = json::parse(d.out);
  ASSERT_FALSE(dj["disagreements"].empty());
  for (const auto& x : dj["disagreements"]) {
    EXPECT_FALSE(x["met_by"].empty());
    EXPECT_FALSE(x["not_met_by"].empty());
    EXPECT_EQ(x["gaps"].size(), x["not_met_by"].size());
  }

  const auto p =
      bm({"benchmarks", "project", "--area", "Kalemba", "--horizon", "24", "--samples", "200", "--format", "json"});
  ASSERT_EQ(p.code, 0) << p.err;
  const auto pj = json::parse(p.out);
  ASSERT_FALSE(pj["projections"].empty());
  for (const auto& x : pj["projections"]) {
    EXPECT_EQ(x["area_id"], "kalemba");
    EXPECT_NE(x["status_now"], "met");
    if (x["within_horizon"].get<bool>()) {
      EXPECT_LE(x["low_10"].get<std::string>(), x["median"].get<std::string>());
      EXPECT_GT(x["median"].get<std::string>(), "2024-12");
    } else {
      EXPECT_TRUE(x["median"].is_null());
    }
  }
  // Event-derived protection benchmarks project from the forecast module's
  // samples, observed contextual ones from a trend; past the forecast
  // module's 120 months, event paths fall back to the bootstrap.
  for (const auto& x : pj["projections"]) {
    const std::string b = x["benchmark"];
    EXPECT_EQ(x["method"], b.rfind("poc-", 0) == 0 ? "forecast:hurdle" : "trend") << b;
  }
  const auto far =
      bm({"benchmarks", "project", "--area", "Kalemba", "--horizon", "150", "--samples", "50", "--format", "json"});
  ASSERT_EQ(far.code, 0) << far.err;
  const json fj = json::parse(far.out);
  bool bootstrap = false;
  for (const auto& x : fj["projections"]) bootstrap = bootstrap || x["method"] == "bootstrap";
  EXPECT_TRUE(bootstrap) << far.out.substr(0, 2000);
  // Same seed: same projections.
  const auto p2 =
      bm({"benchmarks", "project", "--area", "kalemba", "--horizon", "24", "--samples", "200", "--format", "json"});
  EXPECT_EQ(p2.out, p.out);
  EXPECT_EQ(bm({"benchmarks", "project", "--area", "Atlantis"}).code, 3);

  const auto csv = bm({"benchmarks", "history", "--area", "kalemba", "--stakeholder", "un", "--format", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  // No "a/b" cells that a spreadsheet reads as dates: core_met and core_total apart.
  EXPECT_EQ(csv.out.rfind("month,stakeholder,readiness,core_met,core_total,contextual_share,poc-civilian-deaths", 0),
            0u);
  EXPECT_NE(csv.out.find("2012-01,un,"), std::string::npos);
  EXPECT_NE(csv.out.find("2024-12,un,ready"), std::string::npos);

  const auto g = bm({"benchmarks", "assess", "--format", "geojson", "--no-save"});
  ASSERT_EQ(g.code, 0) << g.err;
  const auto gj = json::parse(g.out);
  EXPECT_EQ(gj["type"], "FeatureCollection");
  ASSERT_EQ(gj["features"].size(), 8u);
  EXPECT_TRUE(gj["features"][0]["properties"].contains("readiness_un"));
  EXPECT_TRUE(gj["features"][0]["geometry"]["type"].is_string());

  EXPECT_EQ(bm({"benchmarks", "assess", "--month", "2030-01"}).code, 3);
  EXPECT_EQ(bm({"benchmarks", "assess", "--month", "2030-13"}).code, 1);
}

TEST_F(BenchmarksCli, ValidationErrorsNameLineAndFieldAndWriteNothing) {
  demo();
  const std::string text = read_file(path("demo") + "/inputs/framework.yaml");
  auto bad = [&](const std::string& from, const std::string& to) {
    std::string t = text;
    const auto p = t.find(from);
    EXPECT_NE(p, std::string::npos) << from;
    t.replace(p, from.size(), to);
    return write("bad.yaml", t);
  };
  // Line numbers counted in the generated file.
  auto line_of = [&](const std::string& s) {
    const auto p = text.find(s);
    return std::to_string(1 + std::count(text.begin(), text.begin() + static_cast<std::ptrdiff_t>(p), '\n'));
  };
  const auto before = bm({"benchmarks", "versions", "--format", "json"}).out;
  struct Case {
    std::string from, to, field;
  };
  const Case cases[] = {
      {"      indicators: [courts_functioning]", "      indicators: [courts]", "benchmarks[4].indicators[0]"},
      {"direction: higher_is_better", "direction: upwards", "indicators[3].direction"},
      {"    - id: ctx-ddr", "    - id: ctx-justice", "benchmarks[5].id"},
  };
  for (const auto& c : cases) {
    const auto r = bm({"benchmarks", "import", bad(c.from, c.to)});
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find("bad.yaml:" + line_of(c.from) + ":"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.field), std::string::npos) << r.err;
  }
  // A missing threshold.
  std::string t = text;
  const std::string th = "        police_per_100k: 50.0\n";
  t.erase(t.find(th), th.size());
  const auto r = bm({"benchmarks", "import", write("bad2.yaml", t)});
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("missing threshold for indicator 'police_per_100k'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stakeholders[0].thresholds"), std::string::npos) << r.err;
  EXPECT_EQ(bm({"benchmarks", "versions", "--format", "json"}).out, before);
  // The same file again is not a new version.
  const auto again = bm({"benchmarks", "import", path("demo") + "/inputs/framework.yaml", "--format", "json"});
  EXPECT_EQ(json::parse(again.out)["new"], false);
}

TEST_F(BenchmarksCli, WithoutAFrameworkSaysSo) {
  demo();
  const std::string empty = path("empty.db");
  for (const auto& cmd : std::vector<std::vector<std::string>>{
           {"benchmarks", "disagreements"}, {"benchmarks", "project"}, {"benchmarks", "history", "--area", "x"}}) {
    auto args = cmd;
    args.insert(args.begin(), {"--db", empty});
    EXPECT_EQ(run(args).code, 3) << cmd[1];
  }
  EXPECT_FALSE(std::filesystem::exists(empty)) << "read-only commands create no database";
  EXPECT_EQ(bm({"benchmarks", "assess", "--version", "9"}).code, 3);
  EXPECT_EQ(bm({"benchmarks", "import", path("missing.yaml")}).code, 3);
  EXPECT_EQ(bm({"benchmarks", "project", "--horizon", "0"}).code, 1);
}

// Maps: disagreements and projections as area polygons for QGIS, with the
// same counts as their JSON.
TEST_F(BenchmarksCli, DisagreementsAndProjectionsAsGeoJson) {
  demo();
  const auto dj = bm({"benchmarks", "disagreements", "--format", "json"});
  const auto dg = bm({"benchmarks", "disagreements", "--format", "geojson"});
  ASSERT_EQ(dg.code, 0) << dg.err;
  const json d = json::parse(dj.out), g = json::parse(dg.out);
  ASSERT_EQ(g["features"].size(), 8u);
  std::size_t total = 0;
  for (const auto& f : g["features"]) {
    EXPECT_EQ(f["geometry"]["type"].get<std::string>().find("Polygon") != std::string::npos, true);
    total += f["properties"]["disagreements"].get<std::size_t>();
  }
  EXPECT_EQ(total, d["disagreements"].size());
  const auto pj = bm({"benchmarks", "project", "--area", "kalemba", "--samples", "100", "--format", "json"});
  const auto pg = bm({"benchmarks", "project", "--area", "kalemba", "--samples", "100", "--format", "geojson"});
  ASSERT_EQ(pg.code, 0) << pg.err;
  const json pgj = json::parse(pg.out);
  ASSERT_EQ(pgj["features"].size(), 1u);
  const auto& props = pgj["features"][0]["properties"];
  EXPECT_EQ(props["id"], "kalemba");
  const json pjj = json::parse(pj.out);
  EXPECT_EQ(props["unmet"].get<std::size_t>(), pjj["projections"].size());
  for (const auto& x : pjj["projections"]) {
    const std::string key = x["benchmark"].get<std::string>() + "_" + x["stakeholder"].get<std::string>();
    ASSERT_TRUE(props.contains(key)) << key;
    EXPECT_EQ(props[key], x["median"].is_null() ? json("later") : x["median"]) << key;
  }
}

TEST_F(BenchmarksCli, NewVersionNeverRewritesPastAssessments) {
  demo();
  ASSERT_EQ(bm({"benchmarks", "assess", "--month", "2024-06"}).code, 0);
  // Version 2: the UN becomes much stricter on civilian deaths.
  std::string t = read_file(path("demo") + "/inputs/framework.yaml");
  t.replace(t.find("version: \"1\""), 12, "version: \"2\"");
  const auto un = t.find("    - id: un");
  const std::string from = "        civilian_deaths_per_100k_3m: 1.0\n";
  t.replace(t.find(from, un), from.size(), "        civilian_deaths_per_100k_3m: 0.01\n");
  const auto imp = bm({"benchmarks", "import", write("v2.yaml", t), "--format", "json"});
  ASSERT_EQ(imp.code, 0) << imp.err;
  EXPECT_EQ(json::parse(imp.out)["version"], 2);
  ASSERT_EQ(bm({"benchmarks", "assess", "--month", "2024-06"}).code, 0);
  const auto h =
      bm({"benchmarks", "history", "--area", "kalemba", "--saved", "--stakeholder", "un", "--format", "json"});
  ASSERT_EQ(h.code, 0) << h.err;
  const auto hj = json::parse(h.out)["assessments"];
  ASSERT_EQ(hj.size(), 3u);  // the two made here (2024-06), then the demo's of its last month (2024-12)
  EXPECT_EQ(hj[0]["framework_version"], 1);
  EXPECT_EQ(hj[0]["readiness"], "ready");
  EXPECT_EQ(hj[1]["framework_version"], 2);
  EXPECT_EQ(hj[1]["readiness"], "not_ready");
  EXPECT_EQ(hj[0]["data_fingerprint"], hj[1]["data_fingerprint"]);
  EXPECT_EQ(hj[2]["framework_version"], 1);
  // Version 1 is still there to assess with.
  const auto v1 = bm({"benchmarks", "assess", "--month", "2024-06", "--version", "1", "--stakeholder", "un",
                      "--no-save", "--format", "csv"});
  EXPECT_NE(v1.out.find("kalemba,Kalemba,un,ready"), std::string::npos) << v1.out;
}

TEST_F(BenchmarksCli, SignoffAndAuditTamperingDetected) {
  demo();
  ASSERT_EQ(bm({"benchmarks", "assess"}).code, 0);
  const auto s = bm({"benchmarks", "signoff", "--stakeholder", "government", "--by", "Minister of Planning"});
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_EQ(bm({"benchmarks", "signoff", "--stakeholder", "donors", "--by", "X"}).code, 3);
  const auto v = bm({"benchmarks", "versions", "--format", "json"});
  EXPECT_EQ(json::parse(v.out)["versions"][0]["signoffs"][0]["by"], "Minister of Planning");
  const auto log = bm({"audit", "log", "--format", "json"});
  const auto lj = json::parse(log.out)["entries"];
  ASSERT_EQ(lj.size(), 4u);  // the demo's import and assessment, this assessment, the sign-off
  EXPECT_EQ(lj[0]["kind"], "framework_import");
  EXPECT_EQ(lj[1]["kind"], "assessment");
  EXPECT_EQ(lj[2]["kind"], "assessment");
  EXPECT_EQ(lj[3]["kind"], "signoff");
  ASSERT_EQ(bm({"audit", "verify"}).code, 0);

  // The program refuses to edit the log...
  std::string refused;
  EXPECT_FALSE(try_sql(db, "UPDATE audit_log SET payload = '{}' WHERE seq = 2", &refused));
  EXPECT_NE(refused.find("append-only"), std::string::npos) << refused;
  // ...but someone with the file can: drop the guard and edit entry 2.
  sql(db,
      "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; "
      "UPDATE audit_log SET payload = replace(payload, '\"areas\":8', '\"areas\":7') WHERE seq = 2");
  const auto r = bm({"audit", "verify"});
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\\n2 +content edited"))) << r.out;
  EXPECT_NE(r.err.find("entries 2"), std::string::npos) << r.err;
}

TEST_F(BenchmarksCli, AuditDeletionOfTheLastEntryDetected) {
  demo();
  ASSERT_EQ(bm({"benchmarks", "assess"}).code, 0);
  sql(db, "DROP TRIGGER audit_log_no_delete; DELETE FROM audit_log WHERE seq = 3");  // the last entry
  const auto r = bm({"audit", "verify", "--format", "json"});
  EXPECT_EQ(r.code, 2);
  const auto j = json::parse(r.out);
  EXPECT_FALSE(j["intact"].get<bool>());
  EXPECT_EQ(j["problems"][0]["seq"], 3);
}

// Issue 18: tampering outside audit_log is detected too: the chain seals the
// framework texts, the sign-offs, the assessments and their results, and knows
// its own length and head. Each case starts from the demo with a sign-off.
class AuditTampering : public BenchmarksCli {
 protected:
  void SetUp() override {
    BenchmarksCli::SetUp();
    demo();
    ASSERT_EQ(bm({"benchmarks", "signoff", "--stakeholder", "un", "--by", "SRSG", "--date", "2024-11-02"}).code, 0);
    ASSERT_EQ(bm({"audit", "verify"}).code, 0);
  }
  /// Runs verify after `statement`; expects exit 2 and a problem mentioning `why`.
  void expect_detected(const std::string& statement, const std::string& why) {
    sql(db, "DROP TRIGGER IF EXISTS audit_log_no_update; DROP TRIGGER IF EXISTS audit_log_no_delete; " + statement);
    const auto r = bm({"audit", "verify", "--format", "json"});
    EXPECT_EQ(r.code, 2) << statement << "\n" << r.out << r.err;
    EXPECT_NE(r.out.find(why), std::string::npos) << statement << "\n" << r.out;
  }
};

TEST_F(AuditTampering, FrameworkTextAndItsHashChanged) {
  expect_detected("UPDATE benchmark_frameworks SET yaml = replace(yaml, '1.0', '9.0'), sha256 = 'x' WHERE version = 1",
                  "its text or SHA-256 was changed");
}

TEST_F(AuditTampering, FrameworkTextChangedAndRehashed) {
  // the attacker recomputes the column but cannot recompute the sealed payload without breaking the chain
  std::string yaml = read_file(path("demo") + "/inputs/framework.yaml");
  const std::string edited = std::regex_replace(yaml, std::regex("1\\.0"), "9.0");
  ASSERT_NE(edited, yaml);
  std::string quoted;
  for (char c : edited) quoted += c == '\'' ? std::string("''") : std::string(1, c);
  sql(db, "UPDATE benchmark_frameworks SET yaml = '" + quoted + "' WHERE version = 1");
  const auto r = bm({"audit", "verify"});
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST_F(AuditTampering, SignerChanged) {
  expect_detected("UPDATE benchmark_signoffs SET signed_by = 'Someone Else'", "its fields were changed");
}

TEST_F(AuditTampering, ResultStatusChanged) {
  expect_detected(
      "UPDATE benchmark_results SET status = 'ready' WHERE (assessment_id, area_id, stakeholder, item_kind, item_id) = "
      "(SELECT assessment_id, area_id, stakeholder, item_kind, item_id FROM benchmark_results "
      "WHERE item_kind = 'readiness' AND status = 'not_ready' LIMIT 1)",
      "its results were changed or deleted");
}

TEST_F(AuditTampering, AssessmentMonthChanged) {
  expect_detected("UPDATE benchmark_assessments SET month = month - 1", "its month, level, framework or fingerprint");
}

TEST_F(AuditTampering, SignoffDeletedWithItsEntry) {
  // the sign-off is the last entry (3): delete both, and the head record still says 3
  expect_detected("DELETE FROM benchmark_signoffs; DELETE FROM audit_log WHERE seq = 3", "entries were deleted");
}

TEST_F(AuditTampering, AssessmentDeletedWithItsEntryAndResults) {
  expect_detected(
      "PRAGMA foreign_keys = ON; DELETE FROM benchmark_assessments WHERE audit_seq = 2; DELETE FROM audit_log WHERE "
      "seq = 2",
      "sequence gap");
}

TEST_F(AuditTampering, LastEntriesDeleted) {
  expect_detected("DELETE FROM audit_log WHERE seq >= 2", "entries were deleted");
}

TEST_F(AuditTampering, EverythingEmptiedIsDetectedAgainstTheHeadOrAnAnchor) {
  // keep the head printed earlier (e.g. in a Council report)
  const auto v = json::parse(bm({"audit", "verify", "--format", "json"}).out);
  const std::string anchor = std::to_string(v["head_entries"].get<int>()) + ":" + v["head_hash"].get<std::string>();
  // empty every audit and benchmark table except the head record: detected by the head
  sql(db,
      "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; DELETE FROM benchmark_results; "
      "DELETE FROM benchmark_assessments; DELETE FROM benchmark_signoffs; DELETE FROM benchmark_frameworks; "
      "DELETE FROM audit_log");
  auto r = bm({"audit", "verify"});
  EXPECT_EQ(r.code, 2) << r.out;
  // and the head record too: only the anchor kept outside the database can tell
  sql(db, "DELETE FROM audit_head");
  r = bm({"audit", "verify"});
  EXPECT_EQ(r.code, 0) << "nothing inside the database is left to compare with";
  r = bm({"audit", "verify", "--expect", anchor});
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("the anchored entry is not in the chain"), std::string::npos) << r.out;
}

TEST_F(AuditTampering, AnAnchorHeldByTheChainPasses) {
  const auto v = json::parse(bm({"audit", "verify", "--format", "json"}).out);
  const std::string anchor =
      "1:" + json::parse(bm({"audit", "log", "--format", "json"}).out)["entries"][0]["hash"].get<std::string>();
  EXPECT_EQ(bm({"audit", "verify", "--expect", anchor}).code, 0);
  EXPECT_EQ(bm({"audit", "verify", "--expect", "1:abc"}).code, 1);
  EXPECT_EQ(v["unsealed_results"], 0);
}

}  // namespace
}  // namespace endstate::testing
