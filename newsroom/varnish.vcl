vcl 4.1;
# Varnish 7 in front of the app servers (README, "Scaling out"). Needs
# vmod_xkey (Debian: varnish-modules). `make varnish` runs it before
# `make serve`; the app purges by surrogate key (PURGE_URLS) when copy changes.
#
# What the app promises, and this file relies on:
# - public pages render the same for every visitor: cookies do not matter there;
# - every answer that may be shared carries Surrogate-Key and Cache-Control
#   with s-maxage (how long, bounded by the next scheduled publication);
# - a page reads only "page" (lists) and "p" (the sitemap) from its query.

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    .probe = {
        .url = "/healthz";
        .interval = 2s;
        .timeout = 1s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: the app servers. Add their addresses.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-purge) {
            return (synth(400, "No xkey-purge header"));
        }
        # A hard purge: a withdrawn article must not be served stale, even in grace.
        set req.http.x-purged = xkey.purge(req.http.xkey-purge);
        return (synth(200, "Purged " + req.http.x-purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # The staff side, probes and search (endless queries) go straight through.
    if (req.url ~ "^/(admin|preview)/" || req.url ~ "^/(healthz|readyz)" || req.url ~ "^/search/") {
        return (pass);
    }
    unset req.http.Cookie;
    unset req.http.Authorization;
    # Two languages: key on what Django will choose, not on each browser's header.
    if (req.http.Accept-Language ~ "^\s*zh" || req.http.Accept-Language !~ "(?i)\ben\b|\ben-") {
        set req.http.Accept-Language = "zh-hans";
    } else {
        set req.http.Accept-Language = "en";
    }
    # Only the parameters pages read make a separate object (the API keeps its
    # own, and refuses those it does not know); tracking tags and made-up
    # parameters share the clean page.
    if (req.url ~ "\?" && req.url !~ "^/api/") {
        set req.url = regsuball(req.url, "([?&])(?!(page|p)=)[^&]*", "\1");
        set req.url = regsuball(req.url, "&{2,}", "&");
        set req.url = regsub(req.url, "\?&", "?");
        set req.url = regsub(req.url, "[?&]+$", "");
    }
    set req.url = std.querysort(req.url);
    # Serve a stale copy only while the app does not answer.
    if (std.healthy(req.backend_hint)) {
        set req.grace = 2s;
    }
    return (hash);
}

sub vcl_backend_response {
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key;
        set beresp.grace = 6h;
    } elsif (bereq.url !~ "^/static/") {
        # Nothing to purge it by (a 404, a redirect): never kept, or a page
        # published a minute later would go on answering 404 from here.
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}

sub vcl_deliver {
    # Keys are for caches, not for readers.
    unset resp.http.xkey;
    unset resp.http.Surrogate-Key;
}
