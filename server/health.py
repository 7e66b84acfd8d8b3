"""`GET /api/health`: whether the server and its database answer (for load balancers)."""
from marshmallow import Schema, fields
from sqlalchemy import text

from .extensions import Blueprint, db

bp = Blueprint("health", __name__, url_prefix="/api", description="Operations")


class HealthOut(Schema):
    status = fields.String()
    database = fields.String()


@bp.route("/health", methods=["GET"])
@bp.doc(security=[])
@bp.response(200, HealthOut)
@bp.alt_response(503, description="the database does not answer")
def health():
    """The server is up and its database answers (a database error answers 503)."""
    db.session.execute(text("SELECT 1"))
    return {"status": "ok", "database": db.engine.dialect.name}
