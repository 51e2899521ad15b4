#pragma once
// SHA-256 fingerprints of files and text (import log, result provenance, audit chain).

#include <memory>
#include <string>
#include <string_view>

namespace endstate {

/// Lower-case hex SHA-256 of a file's bytes; throws Error(kNotFound) when unreadable.
std::string sha256_file(const std::string& path);

/// Lower-case hex SHA-256 of a byte string.
std::string sha256_hex(std::string_view data);

/// Incremental SHA-256, for bytes that arrive in pieces (a stream read once).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(Sha256&&) noexcept;
  Sha256& operator=(Sha256&&) noexcept;
  void update(std::string_view data);
  /// Lower-case hex digest of everything given so far; the hasher is then spent.
  std::string hex_digest();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace endstate
