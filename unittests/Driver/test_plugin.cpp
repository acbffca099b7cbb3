//===- Driver/test_plugin.cpp - An operator plugin for the tests ----------===//
///
/// \file
/// The smallest operator plugin (see xcs/registry.h): it adds "shout",
/// {text: string} -> {text: string}, the text in capitals followed by the
/// `suffix` argument (default "!").
///
//===----------------------------------------------------------------------===//

#include "xcs/error.h"
#include "xcs/registry.h"

#include <cctype>
#include <memory>
#include <string>

namespace {

class Shout : public xcs::Operator {
public:
  explicit Shout(std::string suffix)
      : Operator("Shout", xcs::Specification()
                              .input("text", xcs::Kind::String)
                              .output("text", xcs::Kind::String)),
        suffix_(std::move(suffix)) {}

  xcs::Record forward(const xcs::Record &inputs) const override {
    std::string text(inputs.at("text").as_string());
    for (char &c : text)
      c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return {{"text", text + suffix_}};
  }

private:
  std::string suffix_;
};

xcs::OperatorPtr make_shout(const xcs::Value &arguments) {
  const xcs::Value *suffix =
      arguments.is_record() ? arguments.as_record().find("suffix") : nullptr;
  if (suffix && !suffix->is_string())
    throw xcs::InputError("argument 'suffix' must be a string");
  return std::make_shared<Shout>(suffix ? std::string(suffix->as_string())
                                        : "!");
}

} // namespace

extern "C" void xcs_register_operators(xcs::OperatorRegistry &registry) {
  registry.add("shout", make_shout);
}
