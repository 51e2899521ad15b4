# Writes a C++ file defining endstate::report::default_notice_files(): each
# file as (name, text), in the order given. Invoked with -DOUT=... -DFILES="a;b".
set(body "// Generated from templates/notices/ by cmake/embed_files.cmake. Do not edit.\n#include \"endstate/report/templates.hpp\"\nnamespace endstate::report {\nconst std::vector<std::pair<std::string, std::string>>& default_notice_files() {\n  static const std::vector<std::pair<std::string, std::string>> kAll = {\n")
foreach(f IN LISTS FILES)
  get_filename_component(name ${f} NAME)
  file(READ ${f} text)
  set(body "${body}    {\"${name}\", R\"endstate_file(${text})endstate_file\"},\n")
endforeach()
set(body "${body}  };\n  return kAll;\n}\n}  // namespace endstate::report\n")
file(WRITE ${OUT}.tmp "${body}")
configure_file(${OUT}.tmp ${OUT} COPYONLY)
