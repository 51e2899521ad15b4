#include "endstate/benchmarks/audit.hpp"

#include "endstate/core/hash.hpp"

namespace endstate::benchmarks {

std::string audit_hash(const AuditEntry& e) {
  std::string s;
  s.reserve(e.prev_hash.size() + e.at.size() + e.kind.size() + e.subject.size() + e.payload.size() + 32);
  s += e.prev_hash;
  s += '\n';
  s += std::to_string(e.seq);
  s += '\n';
  s += e.at;
  s += '\n';
  s += e.kind;
  s += '\n';
  s += e.subject;
  s += '\n';
  s += e.payload;
  return sha256_hex(s);
}

void chain(AuditEntry& e, const AuditEntry* previous) {
  e.seq = previous ? previous->seq + 1 : 1;
  e.prev_hash = previous ? previous->hash : kGenesisHash;
  e.hash = audit_hash(e);
}

std::vector<AuditProblem> verify_chain(const std::vector<AuditEntry>& entries,
                                       const std::set<std::int64_t>& referenced) {
  std::vector<AuditProblem> out;
  std::string prev = kGenesisHash;
  std::int64_t expected = 1;
  std::set<std::int64_t> present;
  for (const auto& e : entries) {
    present.insert(e.seq);
    if (e.seq != expected) {
      out.push_back({e.seq, "sequence gap: expected entry " + std::to_string(expected) + ", found " +
                                std::to_string(e.seq) + " (entries deleted)"});
    }
    if (e.prev_hash != prev) {
      out.push_back({e.seq, "link broken: prev_hash does not match the hash of the entry before it"});
    }
    if (audit_hash(e) != e.hash) {
      out.push_back({e.seq, "content edited: stored hash does not match the entry's fields"});
    }
    prev = e.hash;
    expected = e.seq + 1;
  }
  for (const auto seq : referenced) {
    if (!present.count(seq))
      out.push_back(
          {seq, "entry missing: a stored record refers to audit entry " + std::to_string(seq) + " (deleted)"});
  }
  return out;
}

}  // namespace endstate::benchmarks
