// Uses the installed package the way an application would: a record in, an
// operator call, JSON out.

#include <xcs/json.h>
#include <xcs/ops.h>

#include <iostream>

int main() {
  xcs::OperatorPtr double_plus_one = xcs::ops::affine(2, 1);
  xcs::Record result = (*double_plus_one)(xcs::Record{{"x", 20}});
  std::cout << xcs::to_json(result) << '\n';
}
