# Varnish as a cache under test: the same origins, objects kept an hour past their freshness
# (grace), so a refusing origin is answered from the stale copy, as edgeray's always_online does.
vcl 4.1;
backend origin { .host = "127.0.0.1"; .port = "@ORIGIN_PORT@"; }
backend stale { .host = "127.0.0.1"; .port = "@STALE_PORT@"; }
sub vcl_recv {
  if (req.http.host == "stale.test") { set req.backend_hint = stale; } else { set req.backend_hint = origin; }
}
sub vcl_backend_response { set beresp.grace = 1h; }
