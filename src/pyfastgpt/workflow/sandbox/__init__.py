"""Code-node sandbox: user JS/Python in a separate subprocess with limits."""
