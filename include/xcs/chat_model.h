//===- xcs/chat_model.h - A model behind a chat-completions URL -*- C++ -*-===//
///
/// \file
/// ops::chat_model calls a model served over the chat-completions protocol
/// of OpenAI, vLLM, llama.cpp's server, Ollama and LiteLLM's proxy
/// (`POST {base_url}/chat/completions`). It is an AsyncOperator: a call in
/// flight is a transfer on the process's one I/O thread (libcurl's multi
/// interface), not a thread of its own, so an ensemble of a thousand calls
/// runs on a handful of threads. docs/models.md has the details.
///
/// Provider limits live with the endpoint (base URL and model) and are
/// shared by every operator calling it: requests in flight (shrinking on
/// 429 and growing back), requests and tokens per minute. Retries back off
/// exponentially with jitter and honour Retry-After.
///
/// The API key is read from the environment variable named by
/// `api_key_env` at each call; the key itself never appears in options,
/// errors or logs.
///
//===----------------------------------------------------------------------===//
#pragma once

#include "xcs/async.h"
#include "xcs/error.h"
#include "xcs/operator.h"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace xcs::ops {

/// Options of chat_model. The factory checks every one and throws
/// InputError naming the option.
struct ChatModelOptions {
  /// The operator's name, in errors, traces and dumps.
  std::string name = "ChatModel";
  /// Up to the protocol's path, e.g. "https://api.openai.com/v1" or
  /// "http://127.0.0.1:8080/v1"; http:// or https://.
  std::string base_url;
  /// The `model` field of every request.
  std::string model;
  /// The environment variable holding the API key (sent as
  /// `Authorization: Bearer KEY` when the variable is set and not empty);
  /// "" sends no key. Its value is never printed.
  std::string api_key_env;
  /// A system message put before the conversation ("" for none).
  std::string system;
  /// Sent when set, in [0, 2].
  std::optional<double> temperature;
  /// Sent when set, >= 1; also what the tokens-per-minute budget expects a
  /// call to spend on its answer.
  std::optional<std::int64_t> max_tokens;
  /// Limit on one attempt, from connecting to the last byte.
  std::chrono::milliseconds timeout{60'000};
  /// Limit on opening a connection.
  std::chrono::milliseconds connect_timeout{10'000};
  /// Attempts after the first on 429, 5xx, timeouts and connection errors.
  int max_retries = 3;
  /// The backoff before retry k is drawn from [d/2, d], d = min(retry_max,
  /// retry_base * 2^(k-1)), and is at least the server's Retry-After. A
  /// Retry-After longer than retry_max ends the call instead.
  std::chrono::milliseconds retry_base{500};
  std::chrono::milliseconds retry_max{30'000};
  /// Requests of the endpoint in flight at once.
  int max_concurrency = 64;
  /// Requests started per minute on the endpoint; 0: unlimited.
  double requests_per_minute = 0;
  /// Tokens per minute on the endpoint (estimated as prompt characters / 4
  /// plus max_tokens before a call, corrected by its usage after); 0:
  /// unlimited.
  double tokens_per_minute = 0;
  /// Extra request headers (name, value). Not Authorization: the key comes
  /// from api_key_env. Values are never printed, as they may be secrets.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// A chat model's call that failed: an HTTP error after the last retry, a
/// transport error, or a response that is not a chat completion. The
/// message names the operator, the endpoint, the status, the provider's
/// own message and the attempts made.
class ChatModelError : public Error {
public:
  ChatModelError(std::string message, long status, int attempts)
      : Error(std::move(message)), status_(status), attempts_(attempts) {}
  /// The last response's HTTP status; 0 when none arrived.
  long status() const { return status_; }
  /// Requests made, retries included.
  int attempts() const { return attempts_; }

private:
  long status_;
  int attempts_;
};

/// {prompt: string} (one user message) or {messages: list of {role,
/// content}} -> {response: string, usage: {prompt_tokens, completion_tokens},
/// finish_reason: string}. A server that reports no usage gives 0 for
/// both; no finish reason gives "". A cancelled call aborts its transfer
/// and fails with xcs::Error "cancelled".
class ChatModel : public AsyncOperator,
                  public StructureDependency,
                  public Registrable {
public:
  explicit ChatModel(ChatModelOptions options);
  void start(const Record &inputs, Completion done) const override;
  /// Every output from prompt and messages.
  std::vector<FieldDependency> structural_dependencies() const override;
  /// "chat_model" with every option (durations in milliseconds as *_ms).
  /// The headers print as given: keep secrets in api_key_env, whose value
  /// is never printed.
  RegistryForm registry_form() const override;
  const ChatModelOptions &options() const { return options_; }
  /// The URL requests go to: base_url + "/chat/completions".
  const std::string &url() const;

  struct Target;

private:
  ChatModelOptions options_;
  std::shared_ptr<const Target> target_;
};

std::shared_ptr<ChatModel> chat_model(ChatModelOptions options);

/// What the chat models of the process spent on one endpoint (base URL and
/// model) since the process started.
struct EndpointUsage {
  /// "URL model", as errors name it.
  std::string endpoint;
  /// Calls ended, of them failed, and the requests beyond each call's
  /// first (retries).
  std::uint64_t calls = 0;
  std::uint64_t failures = 0;
  std::uint64_t retries = 0;
  /// As the responses' usage reported them.
  std::uint64_t prompt_tokens = 0;
  std::uint64_t completion_tokens = 0;
};

/// Every endpoint called so far, by name. Cheap enough to poll for
/// progress (xcs::BatchRunner does).
std::vector<EndpointUsage> endpoint_usage();

} // namespace xcs::ops
