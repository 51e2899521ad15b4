// The task register file (see register.hpp; docs/tasks.md documents every field).
#include "endstate/tasks/register.hpp"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include <yaml-cpp/yaml.h>

#include "core/detail/yaml_reader.hpp"
#include "endstate/core/error.hpp"

namespace endstate::tasks {
namespace {

template <typename E>
struct Name {
  E value;
  const char* name;
};

constexpr Name<MandateArea> kAreas[] = {
    {MandateArea::kProtectionOfCivilians, "protection_of_civilians"},
    {MandateArea::kStabilisation, "stabilisation"},
    {MandateArea::kGoodOffices, "good_offices"},
    {MandateArea::kHumanRights, "human_rights"},
    {MandateArea::kDdr, "ddr"},
    {MandateArea::kSsr, "ssr"},
    {MandateArea::kJustice, "justice"},
    {MandateArea::kElections, "elections"},
    {MandateArea::kNaturalResources, "natural_resources"},
    {MandateArea::kLand, "land"},
    {MandateArea::kGender, "gender"},
    {MandateArea::kLocalGovernance, "local_governance"},
    {MandateArea::kDisputeResolution, "dispute_resolution"},
    {MandateArea::kCommunityProtection, "community_protection"},
    {MandateArea::kPublicInformation, "public_information"},
    {MandateArea::kMissionSupport, "mission_support"},
};
constexpr Name<PartnerKind> kPartnerKinds[] = {
    {PartnerKind::kUnAgency, "un_agency"},
    {PartnerKind::kMinistry, "ministry"},
    {PartnerKind::kLocalGovernment, "local_government"},
    {PartnerKind::kCivilSociety, "civil_society"},
};
constexpr Name<ContinuityKind> kContinuityKinds[] = {
    {ContinuityKind::kProtectionCommittee, "protection_committee"},
    {ContinuityKind::kAlertNetwork, "alert_network"},
    {ContinuityKind::kHumanRightsMonitoring, "human_rights_monitoring"},
};

template <typename E, std::size_t N>
std::string names_of(const Name<E> (&table)[N]) {
  std::string s;
  for (std::size_t i = 0; i < N; ++i) s += (i ? ", " : "") + std::string(table[i].name);
  return s;
}
template <typename E, std::size_t N>
std::string name_of(const Name<E> (&table)[N], E v) {
  for (const auto& e : table)
    if (e.value == v) return e.name;
  return "?";
}

using Reader = endstate::detail::YamlReader;

class Parser {
 public:
  explicit Parser(const std::string& file) : c_(file) {}

  Register parse(const std::string& text) {
    const YAML::Node doc = c_.load_document(text, "register", "a task register");
    c_.only_keys(doc, "", {"register"});
    const YAML::Node root = doc["register"];
    const std::string f = "register";
    c_.only_keys(root, f,
                 {"id", "name", "description", "currency", "budget_years", "period_months", "mission_budget", "exits",
                  "partners", "tasks", "continuity"});
    r_.file = c_.file();
    r_.id = c_.text(c_.required(root, f, "id"), f + ".id");
    if (r_.id.empty()) c_.fail(root["id"], f + ".id", "must not be empty");
    r_.name = Reader::has(root, "name") ? c_.text(root["name"], f + ".name") : r_.id;
    if (Reader::has(root, "currency")) r_.currency = c_.text(root["currency"], f + ".currency");
    parse_years(c_.required(root, f, "budget_years"), f + ".budget_years");
    if (Reader::has(root, "period_months")) {
      const YAML::Node n = root["period_months"];
      r_.period_months = static_cast<int>(c_.integer(n, f + ".period_months", 1, 12));
      if (12 % r_.period_months != 0) {
        c_.fail(n, f + ".period_months", "must divide 12 (1, 2, 3, 4, 6 or 12) so periods align to the budget year");
      }
    }
    if (Reader::has(root, "mission_budget")) {
      r_.mission_budget = per_year(root["mission_budget"], f + ".mission_budget", 1e15);
    }
    if (Reader::has(root, "exits")) parse_exits(root["exits"], f + ".exits");
    const YAML::Node partners = Reader::get(root, "partners");
    if (Reader::has(root, "partners")) {
      if (!partners.IsSequence()) c_.fail(partners, f + ".partners", "expected a list of partners");
      for (std::size_t i = 0; i < partners.size(); ++i) parse_partner(partners[i], Reader::idx(f + ".partners", i));
    }
    const YAML::Node tasks = c_.required(root, f, "tasks");
    if (!tasks.IsSequence() || tasks.size() == 0) c_.fail(tasks, f + ".tasks", "expected a non-empty list of tasks");
    for (std::size_t i = 0; i < tasks.size(); ++i) parse_task(tasks[i], Reader::idx(f + ".tasks", i));
    if (Reader::has(root, "continuity")) {
      const YAML::Node cont = root["continuity"];
      if (!cont.IsSequence()) c_.fail(cont, f + ".continuity", "expected a list of protection mechanisms");
      for (std::size_t i = 0; i < cont.size(); ++i) parse_continuity(cont[i], Reader::idx(f + ".continuity", i));
    }
    resolve();
    return std::move(r_);
  }

 private:
  void parse_years(const YAML::Node& n, const std::string& f) {
    if (!n.IsSequence() || n.size() == 0) c_.fail(n, f, "expected a non-empty list of budget years (\"2025/26\")");
    for (std::size_t i = 0; i < n.size(); ++i) {
      const auto s = c_.text(n[i], Reader::idx(f, i));
      const auto y = parse_budget_year(s);
      if (!y) c_.fail(n[i], Reader::idx(f, i), "expected a budget year such as 2025/26 (July-June), got '" + s + "'");
      if (!r_.years.empty() && y->start != r_.years.back().start + 1) {
        c_.fail(n[i], Reader::idx(f, i),
                "budget years must follow one another (" + r_.years.back().label() + " then " + y->label() + ")");
      }
      r_.years.push_back(*y);
    }
    if (r_.years.size() > 30) c_.fail(n, f, "at most 30 budget years");
  }

  /// A mapping budget year -> amount with every register year present.
  std::vector<double> per_year(const YAML::Node& n, const std::string& f, double hi) const {
    if (!n.IsMap()) c_.fail(n, f, "expected a mapping budget year: amount (\"2025/26: 1200000\")");
    std::vector<double> v(r_.years.size(), 0.0);
    std::vector<char> seen(r_.years.size(), 0);
    for (const auto& kv : n) {
      const std::string key = kv.first.Scalar();
      const auto y = parse_budget_year(key);
      const std::string kf = f + "." + key;
      if (!y) c_.fail(kv.first, kf, "expected a budget year such as 2025/26, got '" + key + "'");
      const auto it = std::find(r_.years.begin(), r_.years.end(), *y);
      if (it == r_.years.end()) c_.fail(kv.first, kf, "budget year " + y->label() + " is not in register.budget_years");
      const auto k = static_cast<std::size_t>(it - r_.years.begin());
      if (!kv.second.IsScalar()) c_.fail(kv.second, kf, "expected an amount");
      const double x = c_.num(kv.second, kf, -1e300, 1e300);
      if (x < 0) c_.fail(kv.second, kf, "must not be negative (got " + kv.second.Scalar() + ")");
      if (x > hi) c_.fail(kv.second, kf, "is too large (got " + kv.second.Scalar() + ")");
      v[k] = x;
      seen[k] = 1;
    }
    for (std::size_t k = 0; k < seen.size(); ++k) {
      if (!seen[k])
        c_.fail(n, f, "missing budget year " + r_.years[k].label() + " (every budget year of the register is needed)");
    }
    return v;
  }

  void parse_exits(const YAML::Node& n, const std::string& f) {
    if (!n.IsMap()) c_.fail(n, f, "expected a mapping province: YYYY-MM (first month without the mission)");
    for (const auto& kv : n) {
      const std::string prov = kv.first.Scalar();
      r_.exits.emplace_back(prov, c_.month(kv.second, f + "." + prov));
      r_.exits_where.push_back({f + "." + prov, Reader::line(kv.second)});
    }
  }

  Contact contact(const YAML::Node& n, const std::string& f) const {
    Contact k;
    c_.only_keys(n, f, {"name", "role", "phone", "radio", "email"});
    auto s = [&](const char* key) { return Reader::has(n, key) ? c_.text(n[key], f + "." + key) : std::string(); };
    k.name = s("name");
    k.role = s("role");
    k.phone = s("phone");
    k.radio = s("radio");
    k.email = s("email");
    return k;
  }

  template <typename E, std::size_t N>
  E pick(const YAML::Node& n, const std::string& f, const Name<E> (&table)[N], const char* what) const {
    const std::string s = c_.text(n, f);
    for (const auto& e : table)
      if (s == e.name) return e.value;
    c_.fail(n, f, std::string("unknown ") + what + " '" + s + "' (allowed: " + names_of(table) + ")");
  }

  void parse_partner(const YAML::Node& n, const std::string& f) {
    c_.only_keys(n, f, {"id", "name", "kind", "capacity", "funding", "contact"});
    Partner p;
    p.where = {f, Reader::line(n)};
    p.id = c_.text(c_.required(n, f, "id"), f + ".id");
    if (p.id.empty() || p.id == "mission") c_.fail(n["id"], f + ".id", "must not be empty or 'mission'");
    if (r_.partner_index(p.id)) c_.fail(n["id"], f + ".id", "duplicate partner id '" + p.id + "'");
    p.name = Reader::has(n, "name") ? c_.text(n["name"], f + ".name") : p.id;
    p.kind = pick(c_.required(n, f, "kind"), f + ".kind", kPartnerKinds, "partner kind");
    p.capacity = per_year(c_.required(n, f, "capacity"), f + ".capacity", 1e6);
    p.funding = per_year(c_.required(n, f, "funding"), f + ".funding", 1e15);
    if (Reader::has(n, "contact")) p.contact = contact(n["contact"], f + ".contact");
    r_.partners.push_back(std::move(p));
  }

  void parse_task(const YAML::Node& n, const std::string& f) {
    c_.only_keys(n, f,
                 {"id", "name", "area", "tier", "places", "depends_on", "benchmarks", "resources", "cost",
                  "ends_with_mission", "handover", "contact"});
    Task t;
    t.where = {f, Reader::line(n)};
    t.id = c_.text(c_.required(n, f, "id"), f + ".id");
    if (t.id.empty()) c_.fail(n["id"], f + ".id", "must not be empty");
    if (r_.task_index(t.id)) c_.fail(n["id"], f + ".id", "duplicate task id '" + t.id + "'");
    t.name = Reader::has(n, "name") ? c_.text(n["name"], f + ".name") : t.id;
    t.area = pick(c_.required(n, f, "area"), f + ".area", kAreas, "mandate area");
    t.tier = static_cast<int>(c_.integer(c_.required(n, f, "tier"), f + ".tier", 1, 9));
    const YAML::Node places = c_.required(n, f, "places");
    t.places = c_.names(places, f + ".places");
    if (t.places.empty()) c_.fail(places, f + ".places", "expected at least one province or territory");
    for (std::size_t i = 0; i < t.places.size(); ++i) {
      t.places_where.push_back({Reader::idx(f + ".places", i), Reader::line(places[i])});
    }
    t.depends_on = c_.names(Reader::get(n, "depends_on"), f + ".depends_on");
    depends_where_.push_back(Reader::get(n, "depends_on"));
    const YAML::Node bms = Reader::get(n, "benchmarks");
    t.benchmarks = c_.names(bms, f + ".benchmarks");
    for (std::size_t i = 0; i < t.benchmarks.size(); ++i) {
      t.benchmarks_where.push_back({Reader::idx(f + ".benchmarks", i), Reader::line(bms[i])});
    }
    if (Reader::has(n, "resources")) {
      const YAML::Node res = n["resources"];
      const std::string rf = f + ".resources";
      c_.only_keys(res, rf, {"troops", "police", "civilians"});
      if (Reader::has(res, "troops")) t.resources.troops = c_.integer(res["troops"], rf + ".troops", 0, 1000000);
      if (Reader::has(res, "police")) t.resources.police = c_.integer(res["police"], rf + ".police", 0, 1000000);
      if (Reader::has(res, "civilians")) {
        t.resources.civilians = c_.integer(res["civilians"], rf + ".civilians", 0, 1000000);
      }
    }
    t.cost = per_year(c_.required(n, f, "cost"), f + ".cost", 1e13);
    if (Reader::has(n, "ends_with_mission"))
      t.ends_with_mission = c_.boolean(n["ends_with_mission"], f + ".ends_with_mission");
    if (Reader::has(n, "handover")) {
      const YAML::Node h = n["handover"];
      const std::string hf = f + ".handover";
      c_.only_keys(h, hf, {"to", "conditions", "load", "cost"});
      if (t.ends_with_mission) c_.fail(h, hf, "a task that ends with the mission is not handed over");
      if (Reader::has(h, "to")) {
        t.handover.partner = c_.text(h["to"], hf + ".to");
        t.handover.partner_where = {hf + ".to", Reader::line(h["to"])};
      }
      const YAML::Node cond = Reader::get(h, "conditions");
      t.handover.conditions = c_.names(cond, hf + ".conditions");
      for (std::size_t i = 0; i < t.handover.conditions.size(); ++i) {
        t.handover.conditions_where.push_back({Reader::idx(hf + ".conditions", i), Reader::line(cond[i])});
      }
      if (Reader::has(h, "load")) t.handover.load = c_.num(h["load"], hf + ".load", 0, 1e6);
      if (Reader::has(h, "cost")) t.handover.cost = per_year(h["cost"], hf + ".cost", 1e13);
    }
    if (Reader::has(n, "contact")) t.contact = contact(n["contact"], f + ".contact");
    r_.tasks.push_back(std::move(t));
  }

  void parse_continuity(const YAML::Node& n, const std::string& f) {
    c_.only_keys(n, f, {"territory", "kind", "name", "run_by", "until", "taken_over_by", "contact"});
    Continuity e;
    e.where = {f, Reader::line(n)};
    e.territory = c_.text(c_.required(n, f, "territory"), f + ".territory");
    e.kind = pick(c_.required(n, f, "kind"), f + ".kind", kContinuityKinds, "mechanism kind");
    e.name = Reader::has(n, "name") ? c_.text(n["name"], f + ".name") : to_string(e.kind);
    e.run_by = c_.text(c_.required(n, f, "run_by"), f + ".run_by");
    if (Reader::has(n, "until")) e.until = c_.month(n["until"], f + ".until");
    if (Reader::has(n, "taken_over_by")) e.taken_over_by = c_.text(n["taken_over_by"], f + ".taken_over_by");
    if (Reader::has(n, "contact")) e.contact = contact(n["contact"], f + ".contact");
    for (const char* key : {"run_by", "taken_over_by"}) {
      const std::string id = std::string(key) == "run_by" ? e.run_by : e.taken_over_by;
      if (id.empty() || id == "mission" || r_.partner_index(id)) continue;
      c_.fail(n[key], f + "." + key, "unknown partner '" + id + "' (partners: " + partner_list() + "; or 'mission')");
    }
    r_.continuity.push_back(std::move(e));
  }

  [[nodiscard]] std::string partner_list() const {
    std::string s;
    for (const auto& p : r_.partners) s += (s.empty() ? "" : ", ") + p.id;
    return s.empty() ? "none listed" : s;
  }

  /// Partners and dependencies named by tasks exist; dependencies are acyclic.
  void resolve() {
    std::vector<std::vector<std::size_t>> depends(r_.tasks.size());
    for (std::size_t i = 0; i < r_.tasks.size(); ++i) {
      const auto& t = r_.tasks[i];
      if (!t.handover.partner.empty() && !r_.partner_index(t.handover.partner)) {
        c_.fail_line(t.handover.partner_where.line, t.handover.partner_where.field,
                     "unknown partner '" + t.handover.partner + "' (partners: " + partner_list() + ")");
      }
      for (std::size_t k = 0; k < t.depends_on.size(); ++k) {
        const auto j = r_.task_index(t.depends_on[k]);
        const std::string df = t.where.field + ".depends_on[" + std::to_string(k) + "]";
        if (!j) c_.fail(depends_where_[i][k], df, "unknown task '" + t.depends_on[k] + "'");
        if (*j == i) c_.fail(depends_where_[i][k], df, "a task cannot depend on itself");
        depends[i].push_back(*j);
      }
    }
    const auto cycle = find_cycle(depends);
    if (!cycle.empty()) {
      std::string path;
      for (auto k : cycle) path += (path.empty() ? "" : " -> ") + r_.tasks[k].id;
      const auto& t = r_.tasks[cycle.front()];
      c_.fail(depends_where_[cycle.front()], t.where.field + ".depends_on", "dependency cycle: " + path);
    }
  }

  Reader c_;
  Register r_;
  std::vector<YAML::Node> depends_where_;
};

}  // namespace

std::string to_string(MandateArea a) { return name_of(kAreas, a); }
std::optional<MandateArea> parse_mandate_area(const std::string& s) {
  for (const auto& e : kAreas)
    if (s == e.name) return e.value;
  return std::nullopt;
}
std::string mandate_area_names() { return names_of(kAreas); }
std::string to_string(PartnerKind k) { return name_of(kPartnerKinds, k); }
std::string to_string(ContinuityKind k) { return name_of(kContinuityKinds, k); }

std::string BudgetYear::label() const {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d/%02d", start, (start + 1) % 100);
  return buf;
}

std::optional<BudgetYear> parse_budget_year(const std::string& s) {
  if (s.size() != 7 || (s[4] != '/' && s[4] != '-')) return std::nullopt;
  for (std::size_t i : {0, 1, 2, 3, 5, 6})
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
  const int a = std::stoi(s.substr(0, 4)), b = std::stoi(s.substr(5, 2));
  if (a < 1900 || a > 2200 || (a + 1) % 100 != b) return std::nullopt;
  return BudgetYear{a};
}

BudgetYear budget_year_of(Month m) { return BudgetYear{m.month() >= 7 ? m.year() : m.year() - 1}; }

std::optional<std::size_t> Register::partner_index(const std::string& id) const {
  for (std::size_t i = 0; i < partners.size(); ++i)
    if (partners[i].id == id) return i;
  return std::nullopt;
}

std::optional<std::size_t> Register::task_index(const std::string& id) const {
  for (std::size_t i = 0; i < tasks.size(); ++i)
    if (tasks[i].id == id) return i;
  return std::nullopt;
}

Register parse_register(const std::string& yaml_text, const std::string& file_name) {
  return Parser(file_name).parse(yaml_text);
}

std::vector<std::size_t> find_cycle(const std::vector<std::vector<std::size_t>>& depends) {
  // Iterative depth-first search with colours; the grey path is the stack.
  const std::size_t n = depends.size();
  std::vector<int> colour(n, 0);  // 0 white, 1 grey, 2 black
  for (std::size_t s = 0; s < n; ++s) {
    if (colour[s] != 0) continue;
    std::vector<std::pair<std::size_t, std::size_t>> stack{{s, 0}};
    colour[s] = 1;
    while (!stack.empty()) {
      auto& [v, k] = stack.back();
      if (k < depends[v].size()) {
        const std::size_t w = depends[v][k++];
        if (colour[w] == 1) {
          std::vector<std::size_t> path;
          bool on = false;
          for (const auto& [u, kk] : stack) {
            if (u == w) on = true;
            if (on) path.push_back(u);
          }
          path.push_back(w);
          return path;
        }
        if (colour[w] == 0) {
          colour[w] = 1;
          stack.emplace_back(w, 0);
        }
      } else {
        colour[v] = 2;
        stack.pop_back();
      }
    }
  }
  return {};
}

void check_benchmarks(const Register& r, const std::vector<std::string>& known, const std::string& source) {
  const std::set<std::string> have(known.begin(), known.end());
  std::string some;
  for (std::size_t i = 0; i < known.size() && i < 12; ++i) some += (i ? ", " : "") + known[i];
  auto check = [&](const std::string& id, const Where& w) {
    if (have.count(id) == 0) {
      throw bad_input("unknown benchmark '" + id + "' (" + source + " has: " + (some.empty() ? "none" : some) + ")",
                      {r.file, w.line, w.field});
    }
  };
  for (const auto& t : r.tasks) {
    for (std::size_t k = 0; k < t.benchmarks.size(); ++k) check(t.benchmarks[k], t.benchmarks_where[k]);
    for (std::size_t k = 0; k < t.handover.conditions.size(); ++k) {
      check(t.handover.conditions[k], t.handover.conditions_where[k]);
    }
  }
}

}  // namespace endstate::tasks
