//===- verifier_test.cpp - Every verifier error names what is wrong -------===//

#include "ir_test_util.h"

#include "IR/verifier.h"

#include <optional>
#include <utility>

namespace xcs::ir {
namespace {

using test::message;
using test::parse_text;

std::string verify_text(std::string_view text) {
  return message(verify(parse_text(text)));
}

/// A verifier error's site and index.
using Blame = std::pair<Site, std::uint32_t>;

/// What verify(\p module) blames; nullopt if it passes. A test failure if
/// the error is not a VerifierError.
std::optional<Blame> blame(const Module &module) {
  std::optional<Blame> blamed;
  llvm::Error rest =
      llvm::handleErrors(verify(module), [&](const VerifierError &error) {
        blamed.emplace(error.site(), error.index());
      });
  EXPECT_EQ(message(std::move(rest)), "") << "not a VerifierError";
  return blamed;
}

struct VerifyCase {
  const char *text;
  const char *message;
  /// "LINE:COL" of what the message is about; "" when the text verifies.
  const char *at;
};

/// What parse_and_verify() reports for \p text: "" if it verifies.
std::string located_error(std::string_view text) {
  llvm::Expected<Module> module = parse_and_verify(text, test::file_name);
  return module ? std::string() : llvm::toString(module.takeError());
}

/// The located form of \p message, "test.xcs:\p at: \p message"; "" for "".
std::string located(std::string_view at, std::string_view message) {
  if (message.empty())
    return "";
  return std::string(test::file_name) + ":" + std::string(at) + ": " +
         std::string(message);
}

class VerifierTextTest : public ::testing::TestWithParam<VerifyCase> {};

TEST_P(VerifierTextTest, NamesTheNode) {
  EXPECT_EQ(verify_text(GetParam().text), GetParam().message)
      << "verifying:\n"
      << GetParam().text;
}

TEST_P(VerifierTextTest, PointsIntoTheText) {
  EXPECT_EQ(located_error(GetParam().text),
            located(GetParam().at, GetParam().message))
      << "verifying:\n"
      << GetParam().text;
}

/// A map's operator, a body graph @e reading v and w, then a main graph
/// @g(x, y) whose nodes are \p text (after `%x = input x`, `%y = input y`,
/// `%l = const [1]`), on line 7.
#define MAPPING(text)                                                          \
  "operator @m \"M\"\n"                                                       \
  "graph @e(v, w) -> (v) {\n"                                                  \
  " %0 = input v\n"                                                            \
  " %1 = input w\n"                                                            \
  " output v: %0\n"                                                            \
  "}\n"                                                                        \
  "graph @g(x, y) -> (z) { %0 = input x %1 = input y %2 = const [1]\n" text   \
  " }"

INSTANTIATE_TEST_SUITE_P(
    Maps, VerifierTextTest,
    ::testing::Values(
        VerifyCase{MAPPING("%3 = map @m(v: %0, w: %1) over [v] body @e "
                           "output z: %3"),
                   "", ""},
        VerifyCase{MAPPING("%3 = map @m(v: %0) over [v] body @e output z: %3"),
                   "graph @g: node %3 (map): body @e reads input 'w', which "
                   "is not one of the map's fields",
                   "8:1"},
        VerifyCase{MAPPING("%3 = map @m(v: %0, w: %1) over [u] body @e "
                           "output z: %3"),
                   "graph @g: node %3 (map): maps 'u', which is not one of "
                   "its fields",
                   "8:1"},
        VerifyCase{MAPPING("%3 = map @m(v: %0, w: %1) over [v, v] body @e "
                           "output z: %3"),
                   "graph @g: node %3 (map): maps 'v' twice", "8:1"},
        VerifyCase{MAPPING("%3 = const 3 %4 = map @m(v: %3, w: %1) over [v] "
                           "body @e output z: %4"),
                   "graph @g: node %4 (map): maps 'v', but its value %3 is not "
                   "a list",
                   "8:14"},
        VerifyCase{MAPPING("%3 = map @m(v: %2, w: %1) over [v] body @e "
                           "outcomes v output z: %3"),
                   "graph @g: node %3 (map): the errors field 'v' is also an "
                   "output of body @e",
                   "8:1"},
        VerifyCase{"operator @m \"M\"\n"
                   "graph @e(v) -> (v) {\n"
                   " %0 = input w\n"
                   " output v: %0\n"
                   "}\n"
                   "graph @g(x) -> (z) { %0 = input x "
                   "%1 = map @m(v: %0) over [v] body @e output z: %1 }",
                   "graph @e: node %0 (input): reads 'w', which is not a "
                   "declared input",
                   "3:2"}));

INSTANTIATE_TEST_SUITE_P(
    Nodes, VerifierTextTest,
    ::testing::Values(
        VerifyCase{"graph @g() -> (y) { %0 = list [%1] %1 = const 1 "
                   "output y: %0 }",
                   "graph @g: node %0 (list): operand %1 is not defined "
                   "before use",
                   "1:21"},
        VerifyCase{"graph @g() -> (y) { %0 = list [%0] output y: %0 }",
                   "graph @g: node %0 (list): operand %0 is not defined "
                   "before use",
                   "1:21"},
        VerifyCase{"graph @g(x) -> () { %0 = input x }",
                   "graph @g: has no output node; the last node must be the "
                   "output",
                   "1:34"},
        VerifyCase{"graph @g() -> () { }",
                   "graph @g: has no output node; the last node must be the "
                   "output",
                   "1:20"},
        VerifyCase{"graph @g(x) -> (y) { %0 = input x output y: %0 "
                   "%1 = input x }",
                   "graph @g: node %1 (output): only the last node may be the "
                   "output",
                   "1:35"},
        VerifyCase{"graph @g() -> () { output output }",
                   "graph @g: node %0 (output): only the last node may be the "
                   "output",
                   "1:20"},
        VerifyCase{"graph @g(x) -> (y) { %0 = input x output y: %0, z: %0 }",
                   "graph @g: node %1 (output): writes 'z', which is not a "
                   "declared output",
                   "1:35"},
        VerifyCase{"graph @g(x) -> (y, w) { %0 = input x output y: %0 }",
                   "graph @g: node %1 (output): does not write declared "
                   "output 'w'",
                   "1:38"},
        VerifyCase{"graph @g(x) -> (y) { %0 = input x output y: %0, y: %0 }",
                   "graph @g: node %1 (output): field 'y' appears twice",
                   "1:35"},
        VerifyCase{"graph @g(x) -> () { %0 = input q output }",
                   "graph @g: node %0 (input): reads 'q', which is not a "
                   "declared input",
                   "1:21"},
        VerifyCase{"graph @g(x) -> () { %0 = input x "
                   "%1 = record {a: %0, a: %0} output }",
                   "graph @g: node %1 (record): field 'a' appears twice",
                   "1:34"},
        VerifyCase{"operator @f \"F\" graph @g(x) -> () { %0 = input x "
                   "%1 = call @f(a: %0, \"a\": %0) output }",
                   "graph @g: node %1 (call): field 'a' appears twice", "1:50"},
        VerifyCase{"graph @g(x, x) -> () { output }",
                   "graph @g: input 'x' is declared twice", "1:13"},
        VerifyCase{"graph @g() -> (y, y) { output }",
                   "graph @g: output 'y' is declared twice", "1:19"},
        VerifyCase{"graph @g() -> (y) { %0 = list [%1] %1 = list [%0] "
                   "output y: %1 }",
                   "graph @g: node %0 (list): operand %1 is not defined "
                   "before use",
                   "1:21"}));

/// A function whose nodes %0 = input x, %1 = call @f(x: %0),
/// %2 = call @f(x: %0), %3 = list [%1, %2] feed `output y: %3`, with a
/// schedule section replaced by \p schedule.
std::string scheduled(std::string_view schedule) {
  return "operator @f \"F\"\n"
         "graph @g(x) -> (y) {\n"
         "  %0 = input x\n"
         "  %1 = call @f(x: %0)\n"
         "  %2 = call @f(x: %0)\n"
         "  %3 = list [%1, %2]\n"
         "  output y: %3\n" +
         std::string(schedule) + "\n}";
}

struct ScheduleCase {
  const char *schedule;
  const char *message;
  /// "LINE:COL" of the task, node or slots section at fault (the schedule
  /// or slots section is line 8).
  const char *at;
};

class VerifierScheduleTest : public ::testing::TestWithParam<ScheduleCase> {};

TEST_P(VerifierScheduleTest, NamesTheTaskOrNode) {
  EXPECT_EQ(verify_text(scheduled(GetParam().schedule)), GetParam().message)
      << GetParam().schedule;
}

TEST_P(VerifierScheduleTest, PointsIntoTheText) {
  EXPECT_EQ(located_error(scheduled(GetParam().schedule)),
            located(GetParam().at, GetParam().message))
      << GetParam().schedule;
}

INSTANTIATE_TEST_SUITE_P(
    Tasks, VerifierScheduleTest,
    ::testing::Values(
        ScheduleCase{"schedule { task 0 join 0 -> 1, 2: %0 "
                     "task 1 join 1 -> 3: %1 task 2 join 1 -> 3: %2 "
                     "task 3 join 2: %3 }",
                     "", ""},
        ScheduleCase{"schedule { task 0 join 0: %0, %1, %2 }",
                     "graph @g: node %3 (list): is in no task", "6:3"},
        ScheduleCase{"schedule { task 0 join 0: %0, %1, %2, %3 "
                     "task 1 join 0: %2 }",
                     "graph @g: node %2 (call): is in task 0 and in task 1",
                     "5:3"},
        ScheduleCase{"schedule { task 0 join 0 -> 5: %0, %1, %2, %3 }",
                     "graph @g: task 0: successor 5 does not exist", "8:12"},
        ScheduleCase{"schedule { task 0 join 0 -> 0: %0, %1, %2, %3 }",
                     "graph @g: task 0: successor 0 is the task itself",
                     "8:12"},
        ScheduleCase{"schedule { task 0 join 0 -> 1, 1: %0, %1, %2 "
                     "task 1 join 1: %3 }",
                     "graph @g: task 0: successor 1 is listed twice", "8:12"},
        ScheduleCase{"schedule { task 0 join 0 -> 1: %0, %1, %2 "
                     "task 1 join 2: %3 }",
                     "graph @g: task 1: join count is 2 but it has 1 "
                     "predecessor tasks",
                     "8:43"},
        ScheduleCase{"schedule { task 0 join 1 -> 1: %0, %1, %2 "
                     "task 1 join 1 -> 0: %3 }",
                     "graph @g: the tasks form a cycle through task 0", "8:12"},
        ScheduleCase{"schedule { task 0 join 0: %1, %0, %2, %3 }",
                     "graph @g: node %1 (call): operand %0 comes later in "
                     "task 0",
                     "4:3"},
        ScheduleCase{"schedule { task 0 join 0 -> 1, 2: %0 "
                     "task 1 join 1 -> 2: %1 task 2 join 2: %2, %3 }",
                     "", ""},
        ScheduleCase{"schedule { task 0 join 0 -> 1, 2: %0 "
                     "task 1 join 1: %1 task 2 join 1: %2, %3 }",
                     "graph @g: node %3 (list): operand %1 is computed in "
                     "task 1, which need not finish before task 2 starts",
                     "6:3"}));

INSTANTIATE_TEST_SUITE_P(
    Slots, VerifierScheduleTest,
    ::testing::Values(
        ScheduleCase{"slots 5 [4, 3, 2, 1, 0]", "", ""},
        ScheduleCase{"slots 3 []",
                     "graph @g: slot count is 3 but no node has a slot", "8:1"},
        ScheduleCase{"slots 5 [0, 1, 2, 3]",
                     "graph @g: has 4 slots for 5 nodes", "8:1"},
        ScheduleCase{"slots 6 [0, 1, 2, 3, 4]",
                     "graph @g: slot count is 6 for 5 nodes; slots are dense, "
                     "one per node",
                     "8:1"},
        ScheduleCase{"slots 5 [0, 1, 2, 3, 5]",
                     "graph @g: node %4 (output): slot 5 is not below the "
                     "slot count 5",
                     "7:3"},
        ScheduleCase{"slots 5 [0, 1, 2, 1, 4]",
                     "graph @g: node %3 (list): shares slot 1 with node %1 "
                     "(call)",
                     "6:3"}));

TEST(ParseAndVerifyTest, ReportsParseErrorsAsParseDoes) {
  std::string_view text = "graph @g() -> (y) { %a = list [%nope] output }";
  EXPECT_EQ(located_error(text), "test.xcs:1:32: undefined value %nope");
  EXPECT_EQ(located_error(text), test::parse_error(text));
}

// Verifier errors about a file name its values as the file does, not by
// their numbers.
TEST(ParseAndVerifyTest, NamesValuesAsTheFileDoes) {
  EXPECT_EQ(located_error("graph @g(x) -> (y) {\n"
                          "  %x = input x\n"
                          "  %pair = list [%x, %late]\n"
                          "  %late = get %x a\n"
                          "  output y: %pair\n"
                          "}"),
            "test.xcs:3:3: graph @g: node %pair (list): operand %late is not "
            "defined before use");
}

TEST(ParseAndVerifyTest, ReturnsTheModuleThatVerifies) {
  llvm::Expected<Module> module = parse_and_verify(
      "graph @g(x) -> (y) { %0 = input x output y: %0 }", test::file_name);
  ASSERT_TRUE(static_cast<bool>(module)) << llvm::toString(module.takeError());
  EXPECT_EQ(module->function.nodes.size(), 2u);
}

/// Modules the parser cannot produce, built in C++: each test breaks one
/// thing in a valid module {%0 = input x, %1 = get %0 a, output y: %1}.
class VerifierModuleTest : public ::testing::Test {
protected:
  VerifierModuleTest()
      : module_(parse_text("operator @f \"F\"\n"
                           "graph @g(x) -> (y) {\n"
                           "  %0 = input x\n"
                           "  %1 = get %0 a\n"
                           "  output y: %1\n"
                           "}")) {}

  Node &node(NodeIndex i) { return module_.function.nodes[i]; }
  std::string verify_module() const { return message(verify(module_)); }
  std::optional<Blame> blame_module() const { return blame(module_); }

  Module module_;
};

TEST_F(VerifierModuleTest, AcceptsTheBaseModule) {
  EXPECT_EQ(verify_module(), "");
  EXPECT_EQ(blame_module(), std::nullopt);
}

TEST_F(VerifierModuleTest, RejectsABadGraphName) {
  module_.function.name = "has space";
  EXPECT_EQ(verify_module(), "graph @has space: the graph name must be one "
                             "or more letters, digits, '_' or '-'");
  EXPECT_EQ(blame_module(), Blame(Site::Graph, 0));
}

TEST_F(VerifierModuleTest, RejectsOperatorArgumentsThatAreNotAnObject) {
  module_.operators[0].arguments = Value(3);
  EXPECT_EQ(verify_module(), "graph @g: operator @op0 (F): arguments must be "
                             "a JSON object or null");
  EXPECT_EQ(blame_module(), Blame(Site::Operator, 0));
}

TEST_F(VerifierModuleTest, RejectsACallOutsideTheOperatorTable) {
  node(1).opcode = Opcode::Call;
  node(1).op = 4;
  node(1).fields = {FieldId("x")};
  EXPECT_EQ(verify_module(), "graph @g: node %1 (call): calls @op4 but the "
                             "operator table has 1 entries");
  EXPECT_EQ(blame_module(), Blame(Site::Node, 1));
}

TEST_F(VerifierModuleTest, RejectsAGetWithoutItsOperand) {
  node(1).operands.clear();
  EXPECT_EQ(verify_module(),
            "graph @g: node %1 (get): takes one operand but has 0");
}

TEST_F(VerifierModuleTest, RejectsAnEmptyGetPath) {
  node(1).path = Path();
  EXPECT_EQ(verify_module(), "graph @g: node %1 (get): the path is empty");
}

TEST_F(VerifierModuleTest, RejectsOperandsOfAConstant) {
  node(1).opcode = Opcode::Const;
  EXPECT_EQ(verify_module(),
            "graph @g: node %1 (const): takes no operands but has 1");
}

TEST_F(VerifierModuleTest, RejectsFieldsWithoutOperands) {
  node(2).fields.push_back(FieldId("z"));
  EXPECT_EQ(verify_module(),
            "graph @g: node %2 (output): has 2 fields but 1 operands");
}

TEST_F(VerifierModuleTest, RejectsTheOutputInATask) {
  module_.function.tasks = {Task{{0, 1, 2}, {}, 0}};
  EXPECT_EQ(verify_module(), "graph @g: node %2 (output): is in task 0, but "
                             "the output is built after all tasks and "
                             "belongs to none");
}

TEST_F(VerifierModuleTest, RejectsATaskListingAMissingNode) {
  module_.function.tasks = {Task{{0, 1, 9}, {}, 0}};
  EXPECT_EQ(verify_module(), "graph @g: task 0 lists %9, which does not exist");
  EXPECT_EQ(blame_module(), Blame(Site::Task, 0));
}

TEST_F(VerifierModuleTest, BlamesTheEndForAMissingOutput) {
  module_.function.nodes.pop_back();
  EXPECT_EQ(verify_module(), "graph @g: has no output node; the last node "
                             "must be the output");
  EXPECT_EQ(blame_module(), Blame(Site::End, 0));
}

TEST_F(VerifierModuleTest, BlamesTheSecondOfTwoEqualDeclarations) {
  module_.function.outputs = {FieldId("y"), FieldId("z"), FieldId("y")};
  EXPECT_EQ(blame_module(), Blame(Site::Output, 2));
  module_.function.inputs = {FieldId("x"), FieldId("x")};
  EXPECT_EQ(blame_module(), Blame(Site::Input, 1));
}

TEST_F(VerifierModuleTest, BlamesTheSlotsAsAWhole) {
  module_.function.slot_count = 2;
  EXPECT_EQ(blame_module(), Blame(Site::Slots, 0));
}

} // namespace
} // namespace xcs::ir
