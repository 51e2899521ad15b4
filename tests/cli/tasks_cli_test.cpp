// endstate tasks validate | schedule | continuity, end to end on the Carana
// demo: handovers before each exit, the timeline, shortfall per budget year,
// and bad registers refused with file, line and field, the database unchanged.
#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "cli_harness.hpp"

namespace endstate::testing {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class TasksCli : public CliFixture {
 protected:
  static void SetUpTestSuite() {
    shared_ = shared_folder("TasksCli");
    ASSERT_EQ(make_shared_demo(shared_), "");
  }
  static void TearDownTestSuite() { fs::remove_all(shared_); }
  static std::string db() { return (shared_ / "demo" / "endstate.db").string(); }
  static std::string register_text() { return read_file(shared_ / "demo" / "inputs" / "tasks.yaml"); }
  static std::string db_bytes() {
    std::string f = read_file(db());
    if (fs::exists(db() + "-wal")) f += "|wal:" + read_file(db() + "-wal");
    return f;
  }
  RunResult tasks(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--db", db(), "tasks"});
    return run(args);
  }
  /// The register with the first occurrence of `from` replaced; fails when absent.
  std::string changed(const std::string& name, const std::string& from, const std::string& to) const {
    std::string s = register_text();
    const auto at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return write(name, s);
  }
  /// The 1-based line of the first occurrence of `text` in the register.
  static int line_of(const std::string& text) {
    const std::string s = register_text();
    const auto at = s.find(text);
    return at == std::string::npos ? -1 : 1 + static_cast<int>(std::count(s.begin(), s.begin() + at, '\n'));
  }
  static fs::path shared_;
};

fs::path TasksCli::shared_;

TEST_F(TasksCli, ScheduleHandsOverBeforeEachExitWithinCapacityAndFunding) {
  const auto r = tasks({"schedule", "--register", (shared_ / "demo" / "inputs" / "tasks.yaml").string(), "--samples",
                        "50", "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "tasks");
  EXPECT_EQ(j["solver"]["solver"], "cbc");
  EXPECT_NE(j["solver"]["rule"].get<std::string>().find("exact"), std::string::npos);
  EXPECT_EQ(j["shortfall"].size(), 3u);
  EXPECT_EQ(j["periods"].size(), 6u);
  int handed = 0, at_risk = 0;
  std::map<std::pair<std::string, std::string>, double> load;  // (partner, budget year)
  std::map<std::string, std::string> year_of;
  for (const auto& p : j["periods"]) year_of[p["label"]] = p["budget_year"];
  for (const auto& h : j["handovers"]) {
    if (h["status"] == "handed_over") {
      ++handed;
      ASSERT_FALSE(h["exit"].is_null());
      EXPECT_LE(h["handover"].get<std::string>(), h["exit"].get<std::string>()) << h.dump();
      // the handover period ends before the exit month
      const std::string period = h["period"];
      EXPECT_LT(period.substr(9), h["exit"].get<std::string>()) << h.dump();
      load[{h["partner"], year_of[period]}] += 1;
    }
    if (h["status"] == "at_risk") ++at_risk;
  }
  EXPECT_GT(handed, 0);
  EXPECT_GT(at_risk, 0);  // Carana's register is built to fall short somewhere
  for (const auto& p : j["partners"]) {
    EXPECT_LE(p["load"].get<double>(), p["capacity"].get<double>() + 1e-9) << p.dump();
    const auto key = std::make_pair(p["partner"].get<std::string>(), p["budget_year"].get<std::string>());
    EXPECT_DOUBLE_EQ(p["load"].get<double>(), load[key]);
  }
  for (const auto& s : j["shortfall"]) {
    EXPECT_NEAR(s["shortfall"].get<double>(), s["partner_gap"].get<double>() + s["no_partner"].get<double>(), 1e-6);
  }
  EXPECT_FALSE(j["continuity"].empty());
}

TEST_F(TasksCli, TimelineCsvIsTaskByPeriod) {
  const auto r = tasks({"schedule", "--register", (shared_ / "demo" / "inputs" / "tasks.yaml").string(),
                        "--no-projection", "--format", "csv", "--table", "timeline"});
  ASSERT_EQ(r.code, 0) << r.err;
  const auto header = r.out.substr(0, r.out.find('\n'));
  EXPECT_EQ(header.rfind("task,place,partner,status,", 0), 0u) << header;
  EXPECT_EQ(std::count(header.begin(), header.end(), ','), 3 + 6);
  EXPECT_NE(r.out.find(",handover"), std::string::npos);
}

TEST_F(TasksCli, BadRegistersRefusedWithFileLineFieldAndNothingChanged) {
  const std::string before = db_bytes();
  struct Case {
    std::string name, from, to, field, message;
  };
  const std::vector<Case> cases{
      {"unknown_partner.yaml", "        to: police", "        to: nobody", "register.tasks[0].handover.to",
       "unknown partner 'nobody'"},
      {"unknown_benchmark.yaml", "benchmarks: [poc-civilian-deaths,", "benchmarks: [poc-unheard-of,",
       "register.tasks[0].benchmarks[0]", "unknown benchmark 'poc-unheard-of'"},
      {"unknown_year.yaml", "      cost: {", "      cost: {2099/00: 1, ", "register.tasks[0].cost.2099/00",
       "not in register.budget_years"},
  };
  for (const auto& c : cases) {
    const auto file = changed(c.name, c.from, c.to);
    const auto r = tasks({"schedule", "--register", file, "--no-projection"});
    EXPECT_EQ(r.code, 2) << c.name << ": " << r.err;
    EXPECT_NE(r.err.find(c.name + ":" + std::to_string(line_of(c.from))), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.field), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos) << r.err;
  }
  // a negative cost, and a budget year left out, on the first task's cost line
  std::string s = register_text();
  const auto at = s.find("      cost: {");
  const auto end = s.find('\n', at);
  const std::string line = s.substr(at, end - at);  // "      cost: {2025/26: X, 2026/27: Y, 2027/28: Z}"
  const auto colon = line.find(": ", line.find('{'));
  std::string negative = s;
  negative.replace(at + colon + 2, 0, "-");
  const auto rn = tasks({"validate", "--register", write("negative.yaml", negative)});
  EXPECT_EQ(rn.code, 2) << rn.err;
  EXPECT_NE(rn.err.find("negative.yaml:" + std::to_string(line_of("      cost: {"))), std::string::npos) << rn.err;
  EXPECT_NE(rn.err.find("must not be negative"), std::string::npos) << rn.err;
  std::string missing = s;
  const auto comma = line.find(", ");
  missing.replace(at + comma, line.size() - comma - 1, "");  // keep only the first year
  const auto rm = tasks({"validate", "--register", write("missing.yaml", missing)});
  EXPECT_EQ(rm.code, 2) << rm.err;
  EXPECT_NE(rm.err.find("register.tasks[0].cost"), std::string::npos) << rm.err;
  EXPECT_NE(rm.err.find("missing budget year"), std::string::npos) << rm.err;
  EXPECT_EQ(db_bytes(), before);
}

TEST_F(TasksCli, CycleReportedWithItsPath) {
  const auto file = changed("cycle.yaml", "      depends_on: []", "      depends_on: [justice]");
  const auto r = tasks({"validate", "--register", file});
  EXPECT_EQ(r.code, 2) << r.err;
  EXPECT_NE(r.err.find("dependency cycle: poc-protection -> justice -> stabilisation -> poc-protection"),
            std::string::npos)
      << r.err;
}

TEST_F(TasksCli, ValidateListsContactsAndRefusesUnknownPlaces) {
  const auto reg = (shared_ / "demo" / "inputs" / "tasks.yaml").string();
  const auto r = tasks({"validate", "--register", reg, "--format", "json"});
  ASSERT_EQ(r.code, 0) << r.err;
  const json j = json::parse(r.out);
  EXPECT_EQ(j["kind"], "tasks_register");
  ASSERT_FALSE(j["continuity"].empty());
  EXPECT_FALSE(j["continuity"][0]["contact"]["name"].is_null());
  const auto bad = changed("place.yaml", "      places: [", "      places: [\"Atlantis\", ");
  const auto rb = tasks({"validate", "--register", bad});
  EXPECT_EQ(rb.code, 2) << rb.err;
  EXPECT_NE(rb.err.find("register.tasks[0].places[0]"), std::string::npos) << rb.err;
  EXPECT_NE(rb.err.find("Atlantis"), std::string::npos) << rb.err;
  const auto re = tasks({"schedule", "--register", reg, "--exit", "Atlantis=2026-01"});
  EXPECT_EQ(re.code, 1) << re.err;
  EXPECT_NE(re.err.find("--exit"), std::string::npos) << re.err;
}

}  // namespace
}  // namespace endstate::testing
