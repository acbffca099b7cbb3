// Uses the installed package the way an application would: a record in, an
// operator call, JSON out; then the version of the library it runs with,
// which must be the version of the headers it was built with.

#include <xcs/json.h>
#include <xcs/ops.h>
#include <xcs/version.h>

#include <iostream>

int main() {
  xcs::OperatorPtr double_plus_one = xcs::ops::affine(2, 1);
  xcs::Record result = (*double_plus_one)(xcs::Record{{"x", 20}});
  std::cout << xcs::to_json(result) << '\n';

  std::cout << "xcs " << xcs::version() << '\n';
  if (xcs::version() != XCS_VERSION_STRING) {
    std::cerr << "built with the headers of xcs " << XCS_VERSION_STRING
              << '\n';
    return 1;
  }
}
