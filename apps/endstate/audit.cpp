// endstate audit log | verify: the append-only, hash-chained record of
// framework imports, sign-offs and assessments.
#include <set>

#include <nlohmann/json.hpp>

#include "commands.hpp"
#include "endstate/benchmarks/audit.hpp"
#include "endstate/core/error.hpp"
#include "endstate/store/database.hpp"

namespace endstate::cli {
namespace {

namespace bm = endstate::benchmarks;
using json = nlohmann::ordered_json;

std::vector<bm::AuditEntry> entries(store::Database& db) {
  std::vector<bm::AuditEntry> out;
  for (const auto& r : db.audit_log()) out.push_back({r.seq, r.at, r.kind, r.subject, r.payload, r.prev_hash, r.hash});
  return out;
}

int cmd_log(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto db = store::Database::open_read_only(a.db_path());
  const auto es = db.schema_version() >= 2 ? entries(db) : std::vector<bm::AuditEntry>{};
  if (format == Format::kJson) {
    json arr = json::array();
    for (const auto& e : es) {
      arr.push_back({{"seq", e.seq},
                     {"at", e.at},
                     {"kind", e.kind},
                     {"subject", e.subject},
                     {"payload", json::parse(e.payload, nullptr, false)},
                     {"prev_hash", e.prev_hash},
                     {"hash", e.hash}});
    }
    out << arr.dump(2) << "\n";
    return 0;
  }
  Table t{{"seq", "at", "kind", "subject", "hash", "payload"}, {}};
  for (const auto& e : es) t.rows.push_back({std::to_string(e.seq), e.at, e.kind, e.subject, e.hash, e.payload});
  t.print(out, format);
  return 0;
}

int cmd_verify(const Args& a, std::ostream& out) {
  const Format format = parse_format(a.get("format"), false);
  auto db = store::Database::open_read_only(a.db_path());
  std::vector<bm::AuditEntry> es;
  std::set<std::int64_t> refs;
  if (db.schema_version() >= 2) {
    es = entries(db);
    for (auto s : db.audit_references()) refs.insert(s);
  }
  const auto problems = bm::verify_chain(es, refs);
  if (format == Format::kJson) {
    json arr = json::array();
    for (const auto& p : problems) arr.push_back({{"seq", p.seq}, {"reason", p.reason}});
    out << json({{"entries", es.size()}, {"intact", problems.empty()}, {"problems", arr}}).dump(2) << "\n";
  } else {
    Table t{{"seq", "problem"}, {}};
    for (const auto& p : problems) t.rows.push_back({std::to_string(p.seq), p.reason});
    if (!problems.empty()) t.print(out, format);
  }
  if (problems.empty()) {
    if (format != Format::kJson) out << "audit log intact: " << es.size() << " entries verified\n";
    return 0;
  }
  std::string seqs;
  for (const auto& p : problems) seqs += (seqs.empty() ? "" : ", ") + std::to_string(p.seq);
  throw Error(ErrorCategory::kBadInput, "audit log tampered with: entries " + seqs + " fail verification");
}

}  // namespace

std::vector<CommandSpec> audit_commands() {
  return {
      {"audit",
       "log",
       "List the audit log: framework imports, sign-offs and assessments, each hashed with the previous entry.",
       {},
       {format_flag(false)},
       cmd_log},
      {"audit",
       "verify",
       "Recompute the hash chain; exit 2 naming the entries when any was edited or deleted.",
       {},
       {format_flag(false)},
       cmd_verify},
  };
}

}  // namespace endstate::cli
