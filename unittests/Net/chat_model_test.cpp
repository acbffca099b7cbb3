//===- chat_model_test.cpp - ops::chat_model against a loopback server ----===//
//
// Every test talks to a real HTTP server (tools/xcs-chat-server) on
// 127.0.0.1 started by the test; nothing reaches beyond loopback. The
// server records what it saw, so attempts, concurrency and rates are
// checked on the server's side, not with stopwatches on the client's.
//
// The fixture sets an API key and captures standard error; every test ends
// by checking that the key appears in no error text and no log line.
//
//===----------------------------------------------------------------------===//

#include "Core/completion_state.h"
#include "Driver/builtin_operators.h"
#include "Net/http_client.h"
#include "chat_server.h"
#include "xcs/chat_model.h"
#include "xcs/jit.h"
#include "xcs/json.h"
#include "xcs/ops.h"
#include "xcs/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>
#include <future>
#include <thread>

namespace xcs::ops {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::Not;
using testing_server = xcs::testing::ChatServer;
using xcs::testing::Reply;
using xcs::testing::SeenRequest;
using namespace std::chrono_literals;

constexpr const char *key_variable = "XCS_CHAT_TEST_KEY";
constexpr const char *key = "sk-test-5ecret-k3y-0123456789";

class ChatModelTest : public ::testing::Test {
protected:
  void SetUp() override {
    setenv(key_variable, key, 1);
    ::testing::internal::CaptureStderr();
  }
  void TearDown() override {
    std::string log = ::testing::internal::GetCapturedStderr();
    EXPECT_THAT(log, Not(HasSubstr(key))) << "the key leaked into a log line";
    for (const std::string &text : errors_)
      EXPECT_THAT(text, Not(HasSubstr(key))) << "the key leaked into an error";
  }

  ChatModelOptions options(const testing_server &server,
                           std::string name = "M") {
    ChatModelOptions result;
    result.name = std::move(name);
    result.base_url = server.base_url();
    result.model = "test-model";
    result.api_key_env = key_variable;
    result.retry_base = 5ms;
    result.retry_max = 2000ms;
    result.max_retries = 2;
    return result;
  }

  static Record ask(const Operator &op, std::string prompt) {
    return op(Record{{"prompt", std::move(prompt)}});
  }

  /// The ChatModelError a call fails with; kept for the key check.
  ChatModelError call_error(const Operator &op, std::string prompt = "hi") {
    try {
      ask(op, std::move(prompt));
    } catch (const ChatModelError &error) {
      errors_.push_back(error.what());
      return error;
    } catch (const std::exception &error) {
      ADD_FAILURE() << "not a ChatModelError: " << error.what();
      return ChatModelError(error.what(), -1, -1);
    }
    ADD_FAILURE() << "the call succeeded";
    return ChatModelError("", -1, -1);
  }

  /// The InputError text of \p body; kept for the key check.
  template <typename Body> std::string input_error(Body body) {
    try {
      body();
    } catch (const InputError &error) {
      errors_.push_back(error.what());
      return error.what();
    }
    ADD_FAILURE() << "no InputError";
    return "";
  }

  std::vector<std::string> errors_;
};

testing_server::Options with_latency(std::chrono::milliseconds latency) {
  testing_server::Options options;
  options.latency = latency;
  return options;
}

Value body_of(const SeenRequest &request) {
  return parse_json(request.body, "request");
}

// --- The request ------------------------------------------------------------

TEST_F(ChatModelTest, SendsAConformingRequestAndReadsTheCompletion) {
  testing_server server;
  ChatModelOptions o = options(server);
  o.system = "Be brief.";
  o.temperature = 0.5;
  o.max_tokens = 32;
  o.headers = {{"X-Trace", "abc"}};
  auto model = chat_model(o);
  Record out = ask(*model, "hello");
  EXPECT_EQ(out.at("response").as_string(), "echo: hello");
  EXPECT_EQ(out.at("finish_reason").as_string(), "stop");
  EXPECT_EQ(out.at("usage").as_record(),
            (Record{{"prompt_tokens", 2}, {"completion_tokens", 3}}));

  std::vector<SeenRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].method, "POST");
  EXPECT_EQ(seen[0].target, "/v1/chat/completions");
  EXPECT_EQ(seen[0].headers.at("content-type"), "application/json");
  EXPECT_EQ(seen[0].headers.at("authorization"), std::string("Bearer ") + key);
  EXPECT_EQ(seen[0].headers.at("x-trace"), "abc");
  EXPECT_FALSE(seen[0].has("expect"));
  EXPECT_EQ(to_json(body_of(seen[0])),
            R"({"max_tokens":32,"messages":[{"content":"Be brief.","role":)"
            R"("system"},{"content":"hello","role":"user"}],"model":)"
            R"("test-model","temperature":0.5})");
}

TEST_F(ChatModelTest, SendsTheBearerKeyExactlyWhenTheVariableIsSet) {
  testing_server server;
  ChatModelOptions o = options(server);
  o.api_key_env = "XCS_CHAT_TEST_UNSET_KEY";
  unsetenv(o.api_key_env.c_str());
  ask(*chat_model(o), "a");
  setenv(o.api_key_env.c_str(), "", 1); // Empty counts as unset.
  ask(*chat_model(o), "b");
  o.api_key_env = "";
  ask(*chat_model(o), "c");
  ask(*chat_model(options(server)), "d");
  std::vector<SeenRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_FALSE(seen[0].has("authorization"));
  EXPECT_FALSE(seen[1].has("authorization"));
  EXPECT_FALSE(seen[2].has("authorization"));
  EXPECT_EQ(seen[3].headers.at("authorization"), std::string("Bearer ") + key);
}

TEST_F(ChatModelTest, ForwardsMessagesAfterTheSystemPrompt) {
  testing_server server;
  ChatModelOptions o = options(server);
  o.system = "S";
  Value messages = Value::list(
      {Value::record(Record{{"role", "user"}, {"content", "q1"}}),
       Value::record(Record{{"role", "assistant"}, {"content", "a1"}}),
       Value::record(Record{{"role", "user"}, {"content", "q2"}})});
  Record out = (*chat_model(o))(Record{{"messages", messages}});
  EXPECT_EQ(out.at("response").as_string(), "echo: q2");
  Value sent = body_of(server.requests().at(0)).as_record().at("messages");
  ASSERT_EQ(sent.as_list().size(), 4u);
  EXPECT_EQ(sent.as_list()[0].as_record().at("content").as_string(), "S");
  EXPECT_EQ(Value::list({sent.as_list().begin() + 1, sent.as_list().end()}),
            messages);
}

TEST_F(ChatModelTest, RejectsBadInputsNamingTheOperatorAndField) {
  testing_server server;
  auto model = chat_model(options(server, "Asker"));
  EXPECT_THAT(input_error([&] { (*model)(Record{}); }),
              AllOf(HasSubstr("'Asker'"), HasSubstr("'prompt'"),
                    HasSubstr("'messages'")));
  EXPECT_THAT(
      input_error([&] {
        (*model)(Record{{"prompt", "p"}, {"messages", Value::list({})}});
      }),
      HasSubstr("not both"));
  EXPECT_THAT(input_error([&] {
                (*model)(Record{{"messages", Value::list({})}});
              }),
              HasSubstr("input 'messages' is empty"));
  EXPECT_THAT(input_error([&] {
                (*model)(Record{{"messages", Value::list({Value("hi")})}});
              }),
              HasSubstr("input 'messages'[0] must be a record"));
  EXPECT_THAT(input_error([&] {
                (*model)(Record{{"messages", Value::list({Value::record(
                                                 Record{{"role", "user"}})})}});
              }),
              HasSubstr("'messages'[0] needs a 'content'"));
  EXPECT_THAT(input_error([&] {
                (*model)(Record{{"prompt", 3}});
              }),
              HasSubstr("prompt"));
  EXPECT_EQ(server.request_count(), 0u);
}

TEST_F(ChatModelTest, RejectsBadOptionsNamingTheOption) {
  testing_server server;
  auto bad = [&](auto change) {
    ChatModelOptions o = options(server, "Opt");
    change(o);
    return input_error([&] { chat_model(o); });
  };
  EXPECT_THAT(bad([](auto &o) { o.base_url = "ftp://x"; }),
              HasSubstr("option 'base_url'"));
  EXPECT_THAT(bad([](auto &o) { o.model = ""; }), HasSubstr("option 'model'"));
  EXPECT_THAT(bad([](auto &o) { o.name = ""; }), HasSubstr("chat_model"));
  EXPECT_THAT(bad([](auto &o) { o.temperature = 3.0; }),
              HasSubstr("option 'temperature'"));
  EXPECT_THAT(bad([](auto &o) { o.max_tokens = 0; }),
              HasSubstr("option 'max_tokens'"));
  EXPECT_THAT(bad([](auto &o) { o.timeout = 0ms; }),
              HasSubstr("option 'timeout'"));
  EXPECT_THAT(bad([](auto &o) { o.connect_timeout = -1ms; }),
              HasSubstr("option 'connect_timeout'"));
  EXPECT_THAT(bad([](auto &o) { o.max_retries = -1; }),
              HasSubstr("option 'max_retries'"));
  EXPECT_THAT(bad([](auto &o) { o.retry_max = 1ms; }),
              HasSubstr("option 'retry_max'"));
  EXPECT_THAT(bad([](auto &o) { o.max_concurrency = 0; }),
              HasSubstr("option 'max_concurrency'"));
  EXPECT_THAT(bad([](auto &o) { o.requests_per_minute = -1; }),
              HasSubstr("option 'requests_per_minute'"));
  EXPECT_THAT(bad([](auto &o) { o.tokens_per_minute = -5; }),
              HasSubstr("option 'tokens_per_minute'"));
  EXPECT_THAT(bad([](auto &o) {
                o.headers = {{"Bad Name", "v"}};
              }),
              HasSubstr("option 'headers'"));
  EXPECT_THAT(bad([](auto &o) {
                o.headers = {{"authorization", key}};
              }),
              HasSubstr("api_key_env"));
  EXPECT_THAT(bad([](auto &o) {
                o.headers = {{"X-A", "a\r\nb"}};
              }),
              HasSubstr("line break"));
  // The key pasted where its variable's name belongs is refused without
  // being repeated (the fixture checks every error for it).
  EXPECT_THAT(bad([](auto &o) { o.api_key_env = key; }),
              HasSubstr("option 'api_key_env' must name an environment"));
}

// --- Faults -----------------------------------------------------------------

TEST_F(ChatModelTest, RetriesA429AfterItsRetryAfter) {
  testing_server server;
  server.set_handler([](const SeenRequest &request, std::size_t index) {
    if (index > 0)
      return testing_server::echo(request);
    Reply reply = Reply::error(429, "Rate limit reached");
    reply.headers = {{"Retry-After", "1"}};
    return reply;
  });
  EXPECT_EQ(ask(*chat_model(options(server)), "x").at("response").as_string(),
            "echo: x");
  std::vector<SeenRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  // The backoff alone is 5 ms; the server asked for a second.
  EXPECT_GE(seen[1].arrived - seen[0].arrived, 1s);
}

TEST_F(ChatModelTest, HonoursARetryAfterGivenAsAnHttpDate) {
  testing_server server;
  server.set_handler([](const SeenRequest &request, std::size_t index) {
    if (index > 0)
      return testing_server::echo(request);
    std::time_t when = std::time(nullptr) + 2;
    char date[64];
    std::strftime(date, sizeof date, "%a, %d %b %Y %H:%M:%S GMT",
                  std::gmtime(&when));
    Reply reply = Reply::error(503, "overloaded");
    reply.headers = {{"Retry-After", date}};
    return reply;
  });
  ask(*chat_model(options(server)), "x");
  std::vector<SeenRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 2u);
  // At least one whole second of the two (dates have no fractions).
  EXPECT_GE(seen[1].arrived - seen[0].arrived, 900ms);
}

TEST_F(ChatModelTest, GivesUpWhenRetryAfterIsLongerThanTheLongestBackoff) {
  testing_server server;
  server.set_handler([](const SeenRequest &, std::size_t) {
    Reply reply = Reply::error(429, "come back in two minutes");
    reply.headers = {{"Retry-After", "120"}};
    return reply;
  });
  ChatModelError error = call_error(*chat_model(options(server)));
  EXPECT_EQ(error.attempts(), 1);
  EXPECT_EQ(error.status(), 429);
  EXPECT_THAT(error.what(), AllOf(HasSubstr("come back in two minutes"),
                                  HasSubstr("asked to wait 120 s")));
  EXPECT_EQ(server.request_count(), 1u);
}

TEST_F(ChatModelTest, RetriesA500ThenSucceeds) {
  testing_server server;
  server.set_handler([](const SeenRequest &request, std::size_t index) {
    return index == 0 ? Reply::error(500, "boom")
                      : testing_server::echo(request);
  });
  EXPECT_EQ(ask(*chat_model(options(server)), "y").at("response").as_string(),
            "echo: y");
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(ChatModelTest, PersistentServerErrorNamesEverythingAfterTheLastRetry) {
  testing_server server;
  server.set_handler([](const SeenRequest &, std::size_t) {
    return Reply::error(500, "The server had an error");
  });
  auto model = chat_model(options(server, "Flaky"));
  ChatModelError error = call_error(*model);
  EXPECT_EQ(error.status(), 500);
  EXPECT_EQ(error.attempts(), 3);
  EXPECT_EQ(server.request_count(), 3u);
  EXPECT_THAT(error.what(),
              AllOf(HasSubstr("chat_model 'Flaky'"),
                    HasSubstr(server.base_url() + "/chat/completions"),
                    HasSubstr("model 'test-model'"), HasSubstr("HTTP 500"),
                    HasSubstr("The server had an error"),
                    HasSubstr("3 attempts: HTTP 500; HTTP 500; HTTP 500")));
}

TEST_F(ChatModelTest, AStalledResponseTimesOutAndIsRetried) {
  testing_server server;
  server.set_handler(
      [](const SeenRequest &, std::size_t) { return Reply::stall(); });
  ChatModelOptions o = options(server);
  o.timeout = 200ms;
  o.max_retries = 1;
  ChatModelError error = call_error(*chat_model(o));
  EXPECT_EQ(error.status(), 0);
  EXPECT_EQ(error.attempts(), 2);
  EXPECT_EQ(server.request_count(), 2u);
  EXPECT_THAT(error.what(), HasSubstr("Timeout was reached"));
}

TEST_F(ChatModelTest, ADroppedConnectionIsRetried) {
  testing_server server;
  server.set_handler([](const SeenRequest &request, std::size_t index) {
    return index == 0 ? Reply::drop() : testing_server::echo(request);
  });
  EXPECT_EQ(ask(*chat_model(options(server)), "z").at("response").as_string(),
            "echo: z");
  EXPECT_EQ(server.request_count(), 2u);

  // A fresh server: on a kept connection that turns out closed, libcurl
  // itself resends once on a new one, and the server would see that too.
  testing_server dropping;
  dropping.set_handler(
      [](const SeenRequest &, std::size_t) { return Reply::drop(); });
  ChatModelError error = call_error(*chat_model(options(dropping)));
  EXPECT_EQ(error.attempts(), 3);
  EXPECT_EQ(dropping.request_count(), 3u);
  EXPECT_THAT(error.what(), HasSubstr("Server returned nothing"));
}

TEST_F(ChatModelTest, ARefusedConnectionIsRetriedThenReported) {
  std::string url;
  {
    testing_server gone;
    url = gone.base_url();
  }
  ChatModelOptions o;
  o.base_url = url;
  o.model = "m";
  o.max_retries = 1;
  o.retry_base = 5ms;
  ChatModelError error = call_error(*chat_model(o));
  EXPECT_EQ(error.status(), 0);
  EXPECT_EQ(error.attempts(), 2);
  EXPECT_THAT(error.what(), HasSubstr("Couldn't connect"));
}

TEST_F(ChatModelTest, MalformedBodiesAreClearErrorsAndNotRetried) {
  testing_server server;
  auto model = chat_model(options(server, "Parser"));
  auto answer = [&](std::string content_type, std::string body) {
    server.set_handler([=](const SeenRequest &, std::size_t) {
      Reply reply;
      reply.content_type = content_type;
      reply.body = body;
      return reply;
    });
    server.reset();
    ChatModelError error = call_error(*model);
    EXPECT_EQ(server.request_count(), 1u) << body;
    EXPECT_EQ(error.attempts(), 1);
    EXPECT_EQ(error.status(), 200);
    EXPECT_THAT(error.what(), HasSubstr("chat_model 'Parser'"));
    return std::string(error.what());
  };
  EXPECT_THAT(answer("application/json", "{\"choices\": [tru"),
              HasSubstr("a body that is not JSON (response body:1:"));
  EXPECT_THAT(answer("text/html", "<html>busy</html>"),
              AllOf(HasSubstr("Content-Type 'text/html'"),
                    HasSubstr("<html>busy</html>")));
  EXPECT_THAT(answer("application/json", "[1]"),
              HasSubstr("without an object at the top"));
  EXPECT_THAT(answer("application/json", R"({"choices": []})"),
              HasSubstr("without choices[0]"));
  EXPECT_THAT(answer("application/json; charset=utf-8",
                     R"({"choices": [{"message": {"content": null}}]})"),
              HasSubstr("without choices[0].message.content (a string)"));
  EXPECT_THAT(answer("application/json", R"({"choices": [{"text": "x"}]})"),
              HasSubstr("without choices[0].message.content"));
}

TEST_F(ChatModelTest, AuthFailsWithoutTheRightKeyAndIsNotRetried) {
  testing_server::Options keyed;
  keyed.required_key = key;
  testing_server server(keyed);
  EXPECT_EQ(ask(*chat_model(options(server)), "k").at("response").as_string(),
            "echo: k");
  setenv(key_variable, "sk-wrong", 1);
  ChatModelError error = call_error(*chat_model(options(server)));
  EXPECT_EQ(error.status(), 401);
  EXPECT_EQ(error.attempts(), 1);
  EXPECT_THAT(error.what(), HasSubstr("Incorrect API key provided"));
  EXPECT_EQ(server.request_count(), 2u);
}

TEST_F(ChatModelTest, AKeyEchoedByTheProviderIsRedacted) {
  testing_server server;
  server.set_handler([](const SeenRequest &request, std::size_t) {
    return Reply::error(400, "bad key: " + request.headers.at("authorization"));
  });
  ChatModelError error = call_error(*chat_model(options(server)));
  EXPECT_THAT(error.what(), HasSubstr("bad key: Bearer [redacted]"));
}

// --- Cancellation
// -------------------------------------------------------------

/// A completion state that hands the outcome to a promise.
class PromisedOutcome : public detail::CompletionState {
public:
  using CompletionState::CompletionState;
  std::promise<std::string> outcome;

protected:
  void finish(std::optional<Record> outputs,
              std::exception_ptr error) noexcept override {
    outcome.set_value(outputs ? "completed" : describe(error));
  }
};

TEST_F(ChatModelTest, CancellationAbortsTheTransfer) {
  testing_server server;
  server.set_handler(
      [](const SeenRequest &, std::size_t) { return Reply::stall(); });
  ChatModelOptions o = options(server);
  o.timeout = 60s; // A call that is not aborted would end as a timeout.
  auto model = chat_model(o);
  auto state = std::make_shared<PromisedOutcome>(*model);
  std::future<std::string> outcome = state->outcome.get_future();
  state->start_call([&] {
    model->start(Record{{"prompt", "p"}}, Completion(state));
  });
  while (server.request_count() == 0)
    std::this_thread::sleep_for(1ms);
  state->request_cancel();
  EXPECT_THAT(outcome.get(), HasSubstr("call cancelled"));
  EXPECT_EQ(server.request_count(), 1u);
}

/// A declared leaf that fails once \p server has seen \p calls requests:
/// the chat calls of the run are all in flight, and the failure must cancel
/// them.
class FailsWhenAllSent : public Operator, public StructureDependency {
public:
  FailsWhenAllSent(const testing_server &server, std::size_t calls)
      : Operator("Failing", Specification()
                                .input("prompt", Kind::String)
                                .output("response", Kind::String)),
        server_(server), calls_(calls) {}
  Record forward(const Record &) const override {
    while (server_.request_count() < calls_)
      std::this_thread::sleep_for(1ms);
    throw std::runtime_error("member failed");
  }
  std::vector<FieldDependency> structural_dependencies() const override {
    return {{FieldId("response"), {FieldId("prompt")}}};
  }

private:
  const testing_server &server_;
  std::size_t calls_;
};

// --- Limits ----------------------------------------------------------------

std::vector<OperatorPtr> members(const ChatModelOptions &base, int count) {
  std::vector<OperatorPtr> result;
  for (int i = 0; i < count; ++i) {
    ChatModelOptions o = base;
    o.name = "M" + std::to_string(i);
    result.push_back(chat_model(o));
  }
  return result;
}

TEST_F(ChatModelTest, AFailingMemberCancelsTheChatCallsInFlight) {
  testing_server server;
  server.set_handler(
      [](const SeenRequest &, std::size_t) { return Reply::stall(); });
  ChatModelOptions o = options(server);
  o.timeout = 60s;
  // The failing member comes first in call order, so the eager call (the
  // outcome the plan recovers) never reaches the others.
  std::vector<OperatorPtr> all{std::make_shared<FailsWhenAllSent>(server, 4)};
  for (OperatorPtr &m : members(o, 4))
    all.push_back(m);
  OperatorPtr op =
      jit(ops::ensemble_judge(all), {.strategy = Strategy::Structural});
  EXPECT_THROW(
      {
        try {
          (*op)(Record{{"query", "q"}});
        } catch (const std::runtime_error &error) {
          EXPECT_STREQ(error.what(), "member failed");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(server.request_count(), 4u);
  EXPECT_EQ(net::HttpClient::global().stats().active, 0u);
}

TEST_F(ChatModelTest, AJitEnsembleEqualsTheEagerCallAndCompilesWithoutCalls) {
  testing_server server;
  std::vector<OperatorPtr> models = members(options(server), 5);
  OperatorPtr eager = ops::ensemble_judge(models);
  OperatorPtr compiled =
      jit(ops::ensemble_judge(models), {.strategy = Strategy::Structural});
  Record input{{"query", "capital of France?"}};
  Record expected = (*eager)(input);
  EXPECT_EQ(server.request_count(), 5u);
  EXPECT_EQ((*compiled)(input), expected);
  // Compiling ran nothing: the one compiled call made five requests.
  EXPECT_EQ(server.request_count(), 10u);
  EXPECT_THAT(std::string(expected.at("answer").as_string()),
              HasSubstr("echo: capital of France?"));
}

TEST_F(ChatModelTest, AllCallsOfAWideEnsembleAreInFlightAtOnce) {
  // The server sees all 40 in progress at once only if none waits for
  // another: the server's peak is the barrier.
  testing_server server(with_latency(300ms));
  ChatModelOptions o = options(server);
  o.max_concurrency = 64;
  OperatorPtr op = jit(ops::ensemble_judge(members(o, 40)),
                       {.strategy = Strategy::Structural});
  (*op)(Record{{"query", "q"}});
  EXPECT_EQ(server.peak_concurrency(), 40);
}

TEST_F(ChatModelTest, ReusesConnections) {
  testing_server server;
  auto model = chat_model(options(server));
  ask(*model, "warm");
  server.reset();
  for (int i = 0; i < 10; ++i)
    ask(*model, "again");
  EXPECT_EQ(server.request_count(), 10u);
  EXPECT_EQ(server.connections(), 0);
}

TEST_F(ChatModelTest, NeverMoreThanMaxConcurrencyInFlight) {
  testing_server server(with_latency(50ms));
  ChatModelOptions o = options(server);
  o.max_concurrency = 3;
  OperatorPtr op = jit(ops::ensemble_judge(members(o, 12)),
                       {.strategy = Strategy::Structural});
  (*op)(Record{{"query", "q"}});
  EXPECT_EQ(server.request_count(), 12u);
  EXPECT_EQ(server.peak_concurrency(), 3);
}

TEST_F(ChatModelTest, OperatorsSharingAnEndpointShareTheStrictestLimit) {
  testing_server server(with_latency(50ms));
  ChatModelOptions strict = options(server);
  strict.max_concurrency = 2;
  ChatModelOptions lax = options(server);
  lax.max_concurrency = 32;
  std::vector<OperatorPtr> all = members(lax, 6);
  for (OperatorPtr &m : members(strict, 6))
    all.push_back(m);
  OperatorPtr op =
      jit(ops::ensemble_judge(all), {.strategy = Strategy::Structural});
  (*op)(Record{{"query", "q"}});
  EXPECT_EQ(server.request_count(), 12u);
  EXPECT_LE(server.peak_concurrency(), 2);
}

/// Whether the server's arrival times never exceed \p burst requests plus
/// \p per_second times any window (with one request of slack for the time
/// between the client's start and the server's read).
void expect_rate_bounded(const std::vector<SeenRequest> &seen, double burst,
                         double per_second) {
  for (std::size_t i = 0; i < seen.size(); ++i)
    for (std::size_t j = i; j < seen.size(); ++j) {
      double window =
          std::chrono::duration<double>(seen[j].arrived - seen[i].arrived)
              .count();
      EXPECT_LE(double(j - i + 1), burst + per_second * window + 1)
          << "requests " << i << ".." << j << " in " << window << " s";
    }
}

TEST_F(ChatModelTest, RequestsPerMinuteBoundTheRequestRate) {
  testing_server server;
  ChatModelOptions o = options(server);
  o.requests_per_minute = 1200; // 20 a second, bursts of 20.
  OperatorPtr op = jit(ops::ensemble_judge(members(o, 40)),
                       {.strategy = Strategy::Structural});
  (*op)(Record{{"query", "q"}});
  std::vector<SeenRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 40u);
  expect_rate_bounded(seen, 20, 20);
  // The limit did hold calls back: 20 beyond the burst take a second.
  EXPECT_GE(seen.back().arrived - seen.front().arrived, 900ms);
}

TEST_F(ChatModelTest, TokensPerMinuteBoundTheTokenRate) {
  testing_server server;
  // Every call is estimated (and reported) at 1,000 tokens.
  server.set_handler([](const SeenRequest &, std::size_t) {
    return Reply::completion("ok", "stop", 1000, 0);
  });
  ChatModelOptions o = options(server);
  o.tokens_per_minute = 240'000; // 4,000 a second: 4 calls a second.
  OperatorPtr op = jit(ops::ensemble_judge(members(o, 10)),
                       {.strategy = Strategy::Structural});
  (*op)(Record{{"query", std::string(4000, 'x')}});
  std::vector<SeenRequest> seen = server.requests();
  ASSERT_EQ(seen.size(), 10u);
  expect_rate_bounded(seen, 4, 4);
  EXPECT_GE(seen.back().arrived - seen.front().arrived, 1400ms);
}

// --- By name ---------------------------------------------------------------

TEST_F(ChatModelTest, IsBoundByNameWithJsonArguments) {
  testing_server server;
  OperatorRegistry registry;
  add_builtin_operators(registry);
  const OperatorFactory *factory = registry.find("chat_model");
  ASSERT_NE(factory, nullptr);
  OperatorPtr op = (*factory)(parse_json(
      R"({"base_url": ")" + server.base_url() +
      R"(", "model": "llama", "api_key_env": ")" + key_variable +
      R"(", "max_concurrency": 8, "temperature": 0.25, "max_tokens": 9,
          "timeout_ms": 5000, "connect_timeout_ms": 1000, "max_retries": 1,
          "retry_base_ms": 10, "retry_max_ms": 100,
          "requests_per_minute": 600, "tokens_per_minute": 100000,
          "system": "S", "name": "Named", "headers": {"X-A": "b"}})"));
  auto *model = dynamic_cast<const ChatModel *>(op.get());
  ASSERT_NE(model, nullptr);
  EXPECT_EQ(model->name(), "Named");
  EXPECT_EQ(model->options().max_concurrency, 8);
  EXPECT_EQ(model->options().timeout, 5000ms);
  EXPECT_EQ(model->options().retry_max, 100ms);
  EXPECT_EQ(model->options().temperature, 0.25);
  EXPECT_EQ(model->options().max_tokens, 9);
  EXPECT_EQ(model->options().requests_per_minute, 600);
  EXPECT_EQ(ask(*op, "n").at("response").as_string(), "echo: n");
  EXPECT_EQ(server.requests().at(0).headers.at("x-a"), "b");
  EXPECT_THAT(input_error([&] {
                (*factory)(parse_json(R"({"base_url": "http://x", "model": "m",
                                          "max_concurrency": 0})"));
              }),
              HasSubstr("max_concurrency"));
  EXPECT_THAT(input_error([&] {
                (*factory)(parse_json(R"({"base_url": "http://x", "model": "m",
                                          "api_key": "sk-x"})"));
              }),
              HasSubstr("unknown argument 'api_key'"));
}

} // namespace
} // namespace xcs::ops
