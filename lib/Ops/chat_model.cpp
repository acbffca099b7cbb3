//===- Ops/chat_model.cpp - A model behind a chat-completions URL ---------===//
///
/// \file
/// Builds the chat-completions request, hands it to the process's HTTP
/// client (lib/Net) and turns its outcome into the call's record or a
/// ChatModelError. The outcome arrives on the I/O thread: parsing a few
/// kilobytes of JSON there costs less than waking another thread for it.
///
/// Every text that may reach a person (errors) passes through
/// Target::redact, so a provider that echoes the key back does not leak it.
///
//===----------------------------------------------------------------------===//

#include "Net/http_client.h"
#include "Ops/endpoint_usage.h"
#include "Ops/support.h"
#include "xcs/chat_model.h"
#include "xcs/error.h"
#include "xcs/json.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <sstream>

namespace xcs::ops {

/// What a call needs after start() returns: the operator may be gone by
/// then, so the outcome's handler keeps this instead.
struct ChatModel::Target {
  std::string name;
  std::string url;
  std::string model;
  std::string endpoint;

  /// "chat_model 'M' (POST URL, model 'X')": the start of every error.
  std::string who() const {
    return "chat_model '" + name + "' (POST " + url + ", model '" + model +
           "')";
  }
};

namespace {

const FieldId &prompt_field() {
  static const FieldId field("prompt");
  return field;
}
const FieldId &messages_field() {
  static const FieldId field("messages");
  return field;
}

template <typename T> std::string printed(const T &value) {
  std::ostringstream out;
  out << value;
  return out.str();
}

bool is_variable_name(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0])))
    return false;
  return std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

/// An HTTP token (RFC 9110): the characters a header name may have.
bool is_header_name(std::string_view name) {
  return !name.empty() && std::ranges::all_of(name, [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string_view("!#$%&'*+-.^_`|~").find(c) !=
               std::string_view::npos;
  });
}

bool equals_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

/// Rejects options that make no sense, naming the option (never printing
/// a value that may be a secret); returns them.
const ChatModelOptions &validated(const ChatModelOptions &options) {
  detail::check_operator_name("chat_model", options.name);
  auto fail = [&](const std::string &message) {
    detail::fail(options.name, message);
  };
  std::string_view url = options.base_url;
  if (!url.starts_with("http://") && !url.starts_with("https://"))
    fail("option 'base_url' must start with http:// or https://, got '" +
         options.base_url + "'");
  if (options.model.empty())
    fail("option 'model' must not be empty");
  if (!options.api_key_env.empty() && !is_variable_name(options.api_key_env))
    fail("option 'api_key_env' must name an environment variable (letters, "
         "digits and underscores), not hold the key itself");
  if (options.temperature &&
      !(*options.temperature >= 0.0 && *options.temperature <= 2.0))
    fail("option 'temperature' must be in [0, 2], got " +
         printed(*options.temperature));
  if (options.max_tokens && *options.max_tokens < 1)
    fail("option 'max_tokens' must be at least 1, got " +
         std::to_string(*options.max_tokens));
  if (options.timeout.count() <= 0)
    fail("option 'timeout' must be positive, got " +
         std::to_string(options.timeout.count()) + " ms");
  if (options.connect_timeout.count() <= 0)
    fail("option 'connect_timeout' must be positive, got " +
         std::to_string(options.connect_timeout.count()) + " ms");
  if (options.max_retries < 0 || options.max_retries > 100)
    fail("option 'max_retries' must be in [0, 100], got " +
         std::to_string(options.max_retries));
  if (options.retry_base.count() <= 0)
    fail("option 'retry_base' must be positive, got " +
         std::to_string(options.retry_base.count()) + " ms");
  if (options.retry_max < options.retry_base)
    fail("option 'retry_max' (" + std::to_string(options.retry_max.count()) +
         " ms) must not be below 'retry_base' (" +
         std::to_string(options.retry_base.count()) + " ms)");
  if (options.max_concurrency < 1)
    fail("option 'max_concurrency' must be at least 1, got " +
         std::to_string(options.max_concurrency));
  if (!(options.requests_per_minute >= 0 &&
        std::isfinite(options.requests_per_minute)))
    fail("option 'requests_per_minute' must be 0 (unlimited) or positive, "
         "got " +
         printed(options.requests_per_minute));
  if (!(options.tokens_per_minute >= 0 &&
        std::isfinite(options.tokens_per_minute)))
    fail("option 'tokens_per_minute' must be 0 (unlimited) or positive, got " +
         printed(options.tokens_per_minute));
  for (const auto &[name, value] : options.headers) {
    if (!is_header_name(name))
      fail("option 'headers': '" + name + "' is not a header name");
    if (equals_ignoring_case(name, "Authorization"))
      fail("option 'headers' must not set Authorization: name the variable "
           "holding the key in 'api_key_env'");
    if (value.find_first_of("\r\n") != std::string::npos)
      fail("option 'headers': the value of '" + name +
           "' has a line break");
  }
  return options;
}

std::string trimmed_url(std::string url) {
  while (url.ends_with('/'))
    url.pop_back();
  return url + "/chat/completions";
}

/// The request's messages: the system prompt, then the input's prompt as a
/// user message or its messages as they are (each checked).
Value request_messages(const std::string &op_name, const std::string &system,
                       const Record &inputs) {
  const Value *prompt = inputs.find(prompt_field());
  const Value *messages = inputs.find(messages_field());
  if ((prompt == nullptr) == (messages == nullptr))
    detail::fail(op_name,
                 prompt ? "give input 'prompt' or 'messages', not both"
                        : "needs input 'prompt' (a string) or 'messages' (a "
                          "list of {role, content})");
  std::vector<Value> list;
  if (!system.empty())
    list.push_back(
        Value::record(Record{{"role", "system"}, {"content", system}}));
  if (prompt) {
    list.push_back(
        Value::record(Record{{"role", "user"}, {"content", *prompt}}));
    return Value::list(std::move(list));
  }
  std::span<const Value> given = messages->as_list();
  if (given.empty())
    detail::fail(op_name, "input 'messages' is empty");
  for (std::size_t i = 0; i < given.size(); ++i) {
    std::string where = "input 'messages'[" + std::to_string(i) + "]";
    if (!given[i].is_record())
      detail::fail(op_name, where + " must be a record {role, content}, got " +
                                std::string(kind_name(given[i].kind())));
    const Record &message = given[i].as_record();
    const Value *role = message.find("role");
    const Value *content = message.find("content");
    if (!role || !role->is_string())
      detail::fail(op_name, where + " needs a string 'role'");
    if (!content || !(content->is_string() || content->is_list()))
      detail::fail(op_name, where +
                                " needs a 'content' (a string, or a list of "
                                "content parts)");
    list.push_back(given[i]);
  }
  return Value::list(std::move(list));
}

/// Prompt characters / 4 (a common rule of thumb for English text), plus
/// the answer's bound.
double estimated_tokens(const Value &messages,
                        std::optional<std::int64_t> max_tokens) {
  std::size_t characters = 0;
  for (const Value &message : messages.as_list())
    if (const Value *content = message.as_record().find("content");
        content && content->is_string())
      characters += content->as_string().size();
  return std::ceil(static_cast<double>(characters) / 4.0) +
         static_cast<double>(max_tokens.value_or(0));
}

/// The key's text replaced wherever it appears in \p text.
std::string redact(std::string text, const std::string &key) {
  if (key.empty())
    return text;
  for (std::size_t at = text.find(key); at != std::string::npos;
       at = text.find(key, at))
    text.replace(at, key.size(), "[redacted]");
  return text;
}

/// At most \p limit bytes of \p text, on one line.
std::string excerpt(std::string_view text, std::size_t limit = 200) {
  std::string shown(text.substr(0, limit));
  std::ranges::replace_if(
      shown, [](char c) { return c == '\n' || c == '\r'; }, ' ');
  if (text.size() > limit)
    shown += "...";
  return shown;
}

/// The provider's own words in an error body: OpenAI's and vLLM's
/// {"error": {"message"}}, Ollama's {"error": "..."}, else the body.
std::string provider_message(const std::string &body) {
  try {
    Value parsed = parse_json(body, "error body");
    if (parsed.is_record()) {
      const Record &record = parsed.as_record();
      if (const Value *error = record.find("error")) {
        if (error->is_string())
          return std::string(error->as_string());
        if (error->is_record())
          if (const Value *message = error->as_record().find("message");
              message && message->is_string())
            return std::string(message->as_string());
      }
      if (const Value *message = record.find("message");
          message && message->is_string())
        return std::string(message->as_string());
    }
  } catch (const InputError &) {
    // Not JSON: the body as it is says more than nothing.
  }
  return body.empty() ? "(empty body)" : excerpt(body);
}

std::string attempts_text(const std::vector<std::string> &attempts) {
  std::string text = std::to_string(attempts.size()) +
                     (attempts.size() == 1 ? " attempt: " : " attempts: ");
  for (std::size_t i = 0; i < attempts.size(); ++i)
    text += (i ? "; " : "") + attempts[i];
  return text;
}

bool is_json_type(std::string_view content_type) {
  std::string_view type = content_type.substr(0, content_type.find(';'));
  while (!type.empty() && type.back() == ' ')
    type.remove_suffix(1);
  return equals_ignoring_case(type, "application/json");
}

std::int64_t usage_count(const Record *usage, std::string_view field) {
  if (!usage)
    return 0;
  const Value *count = usage->find(field);
  return count && count->is_int() ? count->as_int() : 0;
}

/// The call's record from a 2xx response; ChatModelError (through
/// \p fail) when it is not a chat completion.
Record completion_record(const ChatModel::Target &target,
                         const net::HttpResponse &response,
                         const std::function<void(std::string)> &fail) {
  if (!is_json_type(response.content_type))
    fail("answered HTTP " + std::to_string(response.status) +
         " with Content-Type '" + response.content_type +
         "', not application/json: " + excerpt(response.body));
  Value parsed;
  try {
    parsed = parse_json(response.body, "response body");
  } catch (const InputError &error) {
    fail(std::string("answered a body that is not JSON (") + error.what() +
         "): " + excerpt(response.body));
  }
  auto missing = [&](std::string_view what) {
    fail("answered JSON without " + std::string(what) + ": " +
         excerpt(response.body));
  };
  if (!parsed.is_record())
    missing("an object at the top");
  const Value *choices = parsed.as_record().find("choices");
  if (!choices || !choices->is_list() || choices->as_list().empty() ||
      !choices->as_list()[0].is_record())
    missing("choices[0]");
  const Record &choice = choices->as_list()[0].as_record();
  const Value *message = choice.find("message");
  const Value *content =
      message && message->is_record() ? message->as_record().find("content")
                                      : nullptr;
  if (!content || !content->is_string())
    missing("choices[0].message.content (a string)");
  const Value *reason = choice.find("finish_reason");
  const Value *usage_value = parsed.as_record().find("usage");
  const Record *usage = usage_value && usage_value->is_record()
                            ? &usage_value->as_record()
                            : nullptr;
  return Record{
      {"response", *content},
      {"usage", Value::record(Record{
                    {"prompt_tokens", usage_count(usage, "prompt_tokens")},
                    {"completion_tokens",
                     usage_count(usage, "completion_tokens")}})},
      {"finish_reason",
       reason && reason->is_string() ? *reason : Value(std::string())}};
}

/// The tokens a response says it spent, for the tokens-per-minute budget.
std::optional<double> tokens_used(const net::HttpResponse &response) {
  Value parsed = parse_json(response.body, "response body");
  const Value *usage =
      parsed.is_record() ? parsed.as_record().find("usage") : nullptr;
  if (!usage || !usage->is_record())
    return std::nullopt;
  const Value *total = usage->as_record().find("total_tokens");
  if (total && total->is_int())
    return static_cast<double>(total->as_int());
  return static_cast<double>(usage_count(&usage->as_record(), "prompt_tokens") +
                             usage_count(&usage->as_record(),
                                         "completion_tokens"));
}

/// The call's outcome, as a record or a thrown ChatModelError.
Record outcome_record(const ChatModel::Target &target, const std::string &key,
                      net::Outcome outcome) {
  int attempts = static_cast<int>(outcome.attempts.size());
  long status = outcome.response ? outcome.response->status : 0;
  auto fail = [&](std::string message) {
    throw ChatModelError(
        redact(target.who() + ": " + message + " (" +
                   attempts_text(outcome.attempts) + ")",
               key),
        status, attempts);
  };
  switch (outcome.end) {
  case net::Outcome::End::Succeeded:
    return completion_record(target, *outcome.response, fail);
  case net::Outcome::End::Failed:
    if (!outcome.error.empty() && !outcome.response)
      fail("failed: " + outcome.error);
    if (!outcome.error.empty())
      fail("HTTP " + std::to_string(status) + ": " +
           provider_message(outcome.response->body) + "; gave up: " +
           outcome.error);
    fail("HTTP " + std::to_string(status) + ": " +
         provider_message(outcome.response->body));
    break;
  case net::Outcome::End::Cancelled:
    throw Error(target.who() + ": call cancelled");
  }
  throw Error(target.who() + ": no outcome");
}

} // namespace

ChatModel::ChatModel(ChatModelOptions options)
    : AsyncOperator(validated(options).name,
                    Specification()
                        .optional_input("prompt", Kind::String)
                        .optional_input("messages", Kind::List)
                        .output("response", Kind::String)
                        .output("usage", Kind::Record)
                        .output("finish_reason", Kind::String)),
      options_(std::move(options)) {
  std::string url = trimmed_url(options_.base_url);
  target_ = std::make_shared<const Target>(
      Target{options_.name, url, options_.model,
             // One endpoint per URL and model: a server hosting several
             // models usually budgets each.
             url + " " + options_.model});
}

const std::string &ChatModel::url() const { return target_->url; }

RegistryForm ChatModel::registry_form() const {
  auto millis = [](std::chrono::milliseconds duration) {
    return Value(static_cast<std::int64_t>(duration.count()));
  };
  Record headers;
  for (const auto &[name, value] : options_.headers)
    headers.set(name, Value(value));
  Record arguments{
      {"name", Value(options_.name)},
      {"base_url", Value(options_.base_url)},
      {"model", Value(options_.model)},
      {"api_key_env", Value(options_.api_key_env)},
      {"system", Value(options_.system)},
      {"timeout_ms", millis(options_.timeout)},
      {"connect_timeout_ms", millis(options_.connect_timeout)},
      {"max_retries", Value(options_.max_retries)},
      {"retry_base_ms", millis(options_.retry_base)},
      {"retry_max_ms", millis(options_.retry_max)},
      {"max_concurrency", Value(options_.max_concurrency)},
      {"requests_per_minute", Value(options_.requests_per_minute)},
      {"tokens_per_minute", Value(options_.tokens_per_minute)},
      {"headers", Value::record(std::move(headers))}};
  if (options_.temperature)
    arguments.set("temperature", Value(*options_.temperature));
  if (options_.max_tokens)
    arguments.set("max_tokens", Value(*options_.max_tokens));
  return {"chat_model", Value::record(std::move(arguments))};
}

std::vector<FieldDependency> ChatModel::structural_dependencies() const {
  std::vector<FieldId> from{prompt_field(), messages_field()};
  return {FieldDependency{FieldId("response"), from},
          FieldDependency{FieldId("usage"), from},
          FieldDependency{FieldId("finish_reason"), from}};
}

void ChatModel::start(const Record &inputs, Completion done) const {
  Value messages = request_messages(name(), options_.system, inputs);
  Record body{{"model", options_.model}, {"messages", messages}};
  if (options_.temperature)
    body.set("temperature", Value(*options_.temperature));
  if (options_.max_tokens)
    body.set("max_tokens", Value(*options_.max_tokens));

  net::Exchange exchange;
  exchange.endpoint = target_->endpoint;
  exchange.limits = {options_.max_concurrency, options_.requests_per_minute,
                     options_.tokens_per_minute};
  exchange.retry = {options_.max_retries, options_.retry_base,
                    options_.retry_max};
  exchange.request.url = target_->url;
  exchange.request.body = to_json(body);
  exchange.request.timeout = options_.timeout;
  exchange.request.connect_timeout = options_.connect_timeout;
  std::vector<std::string> &headers = exchange.request.headers;
  headers.push_back("Content-Type: application/json");
  headers.push_back("Accept: application/json");
  // Read at each call, so a rotated key is picked up; an unset or empty
  // variable sends no key (a local server often needs none).
  std::string key;
  if (!options_.api_key_env.empty())
    if (const char *value = std::getenv(options_.api_key_env.c_str()))
      key = value;
  if (!key.empty())
    headers.push_back("Authorization: Bearer " + key);
  for (const auto &[name, value] : options_.headers)
    headers.push_back(name + ": " + value);
  exchange.estimated_tokens = estimated_tokens(messages, options_.max_tokens);
  if (options_.tokens_per_minute > 0)
    exchange.tokens_used = tokens_used;

  auto shared = std::make_shared<Completion>(std::move(done));
  exchange.done = [shared, target = target_,
                   key = std::move(key)](net::Outcome outcome) {
    EndpointCounters &counters = endpoint_counters(target->endpoint);
    counters.ended(outcome.attempts.size());
    shared->complete_with([&] {
      Record record = outcome_record(*target, key, std::move(outcome));
      counters.succeeded(record);
      return record;
    });
  };
  net::HttpClient::Id id = net::HttpClient::global().submit(std::move(exchange));
  shared->on_cancel([id] { net::HttpClient::global().cancel(id); });
}

std::shared_ptr<ChatModel> chat_model(ChatModelOptions options) {
  return std::make_shared<ChatModel>(std::move(options));
}

} // namespace xcs::ops
