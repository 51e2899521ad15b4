#pragma once
// Files sent in a request (a framework, a plan and the localities it names),
// written into a private folder of their own for the engine to read by path:
// <temp>/endstate-upload-<user>-<random>/<name>, removed with the object.
// Names are plain file names (check_file_name), so nothing is written or
// read outside the folder.

#include <string>
#include <utility>
#include <vector>

#include "server/detail/route.hpp"

namespace endstate::server::detail {

/// Files of a request: (plain name, text), in order.
using Files = std::vector<std::pair<std::string, std::string>>;

/// Refuses a name that is not a plain file name (no folders), 1 to 100 bytes:
/// invalid_field(field, ...).
void check_file_name(const std::string& name, const std::string& field = "file_name");

/// A plan sent as the text `field` with its name in `name_param`.
struct SentPlan {
  std::string field, name_param;
};

/// The plans sent, each parsed (422 with its name, line and field when wrong),
/// with the files they name: plain names, each sent as `localities` or
/// `candidates` (plans naming the same file share it; a plan naming a path with
/// a folder is a 422 naming the field of the plan). Returns the files to write:
/// the plans first, in order. `strict`: a `localities` or `candidates` text
/// that no plan names is refused.
Files plans_upload(const Params& p, const std::vector<SentPlan>& plans, bool strict = true);

class Upload {
 public:
  /// files: name -> text (names checked by the caller).
  Upload(const std::string& user, const std::vector<std::pair<std::string, std::string>>& files);
  ~Upload();
  Upload(const Upload&) = delete;
  Upload& operator=(const Upload&) = delete;
  /// The folder holding the files.
  [[nodiscard]] const std::string& dir() const { return dir_; }
  /// The path of the first file.
  [[nodiscard]] const std::string& path() const { return path_; }

 private:
  std::string dir_, path_;
};

/// The run of an engine call on sent files, the one way every upload route
/// runs: writes `files` into a private folder (removed when the call ends),
/// hands the engine that folder as the request's base_dir and writes the
/// result with `o`. `call` is the engine method (&service::Engine::plan_run).
template <class Request, class Result>
Run on_upload(Files files, std::string user, Request q, io::WriteOptions o,
              Result (service::Engine::*call)(const Request&)) {
  return [files = std::move(files), user = std::move(user), q = std::move(q), o, call](service::Engine& e) {
    Upload up(user, files);
    Request in = q;
    in.base_dir = up.dir();
    return render((e.*call)(in), o);
  };
}

}  // namespace endstate::server::detail
