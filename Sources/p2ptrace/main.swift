print("p2ptrace: not yet built")
