// Consumer check: draws through the installed library and prints the state a Python user could
// continue from. Exits non-zero if the library misbehaves.
#include <streamalloc/pcg64.hpp>

#include <iostream>

int main() {
  streamalloc::pcg64 engine{streamalloc::seed_sequence(streamalloc::seed_entropy(42))};
  const auto copy = engine;
  engine.advance(1);
  auto replay = copy;
  (void)replay.next64();
  if (!(replay == engine)) return 1;
  std::cout << engine.state_json() << '\n';
  return 0;
}
