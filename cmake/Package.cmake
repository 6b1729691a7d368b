# Install rules and the find_package(mapsan) config: filled in with the runtime.
