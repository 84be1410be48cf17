"""API routers, one module per domain: parse, call the library, return its dict."""
