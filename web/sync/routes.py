"""/sync/v1/hello|enroll|push|pull: parse, authenticate, call sync.hub, answer JSON."""

from __future__ import annotations

import logging

from flask import Response, current_app, jsonify, request

from appliance.errors import DomainError, Forbidden, NotFound
from sync import hub, wire
from sync.wire import WireError
from web import csrf
from web.sync import bp

log = logging.getLogger("mektep.sync.receiver")
csrf.exempt(bp)  # machine-to-machine: authenticated by HMAC, not by a session


def _error(status: int, code: str, message: str, **extra):
    response = jsonify({"error": code, "message": message, **extra})
    response.status_code = status
    return response


@bp.errorhandler(WireError)
def _wire_error(exc: WireError):
    return _error(exc.status, exc.code, exc.message, **getattr(exc, "extra", {}))


@bp.errorhandler(DomainError)
def _domain_error(exc: DomainError):
    status = 403 if isinstance(exc, Forbidden) else 404 if isinstance(exc, NotFound) else 400
    return _error(status, type(exc).__name__.lower(), str(exc))


@bp.before_request
def _hub_only():
    if current_app.config["MEKTEP"].role != "hub":
        return _error(404, "not_a_hub", "this server is a school node, not the hub")
    return None


def _body() -> bytes:
    """The raw request body, refused above the compressed limit before it is read."""
    if (request.content_length or 0) > wire.MAX_COMPRESSED:
        raise WireError(413, "too_large", f"the body is larger than {wire.MAX_COMPRESSED} bytes")
    body = request.stream.read(wire.MAX_COMPRESSED + 1)
    if len(body) > wire.MAX_COMPRESSED:
        raise WireError(413, "too_large", f"the body is larger than {wire.MAX_COMPRESSED} bytes")
    return body


def _reply(payload: dict) -> Response:
    return Response(
        wire.compress(payload),
        mimetype="application/json",
        headers={"Content-Encoding": "gzip", "Cache-Control": "no-store"},
    )


def _authenticated():
    body = _body()
    node = hub.authenticate(request.method, request.path, request.headers, body)
    return node, wire.decompress(body)


@bp.post("/v1/hello")
def hello():
    node, payload = _authenticated()
    return _reply(hub.hello(node, payload))


@bp.post("/v1/push")
def push():
    node, payload = _authenticated()
    return _reply(hub.push(node, payload))


@bp.post("/v1/pull")
def pull():
    node, payload = _authenticated()
    return _reply(hub.pull(node, payload))


@bp.post("/v1/enroll")
def enroll():
    from appliance.hub.enrollment import enroll as redeem

    payload = wire.decompress(_body())
    fields = {k: payload.get(k) for k in ("token", "node_id", "origin", "school")}
    if not all(isinstance(v, str) for v in fields.values()):
        raise WireError(400, "malformed", "token, node_id, origin and school must be text")
    result = redeem(
        fields["token"],
        fields["node_id"],
        fields["origin"],
        fields["school"],
        bool(payload.get("has_school_data")),
        str(payload.get("version", "")),
    )
    log.info("node %s enrolled for school %s", result["node_id"], result["school_code"])
    return _reply(result)
