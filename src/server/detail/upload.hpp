#pragma once
// Files sent in a request (a framework, a plan and the localities it names),
// written into a private folder of their own for the engine to read by path:
// <temp>/endstate-upload-<user>-<random>/<name>, removed with the object.
// Names are plain file names (check_file_name), so nothing is written or
// read outside the folder.

#include <string>
#include <utility>
#include <vector>

namespace endstate::server::detail {

/// Refuses a name that is not a plain file name (no folders), 1 to 100 bytes:
/// invalid_field(field, ...).
void check_file_name(const std::string& name, const std::string& field = "file_name");

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

}  // namespace endstate::server::detail
