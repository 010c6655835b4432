"""The JSON API under /api/v1, composed from each app's router."""

from zhenxing.core.accounts.api import auth_router
from zhenxing.core.accounts.api import router as accounts_router
from zhenxing.core.api import AUTH, ZhenxingAPI, install_error_handlers
from zhenxing.core.audit.api import router as audit_router
from zhenxing.core.regions.api import router as regions_router
from zhenxing.economy.api import router as economy_router
from zhenxing.party.api import router as party_router
from zhenxing.registry.api import router as registry_router

api = ZhenxingAPI(
    title="Zhenxing API",
    version="1",
    urls_namespace="api",
    auth=AUTH,
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/regions", regions_router)
api.add_router("/accounts", accounts_router)
api.add_router("/audit", audit_router)
api.add_router("/economy", economy_router)
api.add_router("/party", party_router)
api.add_router("/", registry_router)
