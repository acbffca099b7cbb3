//===- xcs-chat-server - A loopback chat-completions server ---------------===//
//
// Serves echo completions on 127.0.0.1 for trying ops::chat_model and
// xcs-jit-dump without a real model:
//
//   xcs-chat-server [--port N] [--latency-ms N] [--key-env VAR]
//
// prints its base URL (on an ephemeral port unless --port is given) and serves until killed. With --key-env, requests
// must carry the key held by the environment variable VAR.
//
//===----------------------------------------------------------------------===//

#include "chat_server.h"

#include <csignal>
#include <cstdlib>
#include <pthread.h>
#include <iostream>
#include <string>
#include <thread>

int main(int argc, char **argv) {
  xcs::testing::ChatServer::Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--port" && i + 1 < argc) {
      options.port = static_cast<std::uint16_t>(std::stoul(argv[++i]));
    } else if (arg == "--latency-ms" && i + 1 < argc) {
      options.latency = std::chrono::milliseconds(std::stol(argv[++i]));
    } else if (arg == "--key-env" && i + 1 < argc) {
      const char *key = std::getenv(argv[++i]);
      if (!key || !*key) {
        std::cerr << "xcs-chat-server: variable " << argv[i] << " is not set\n";
        return 2;
      }
      options.required_key = key;
    } else {
      std::cerr << "usage: xcs-chat-server [--port N] [--latency-ms N] [--key-env VAR]\n";
      return 2;
    }
  }
  options.record = false;
  xcs::testing::ChatServer server(options);
  std::cout << server.base_url() << std::endl;
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  int received = 0;
  sigwait(&signals, &received);
  return 0;
}
