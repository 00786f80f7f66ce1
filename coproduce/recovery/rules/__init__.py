"""The domain rules of enterprise recovery: pure functions, no Django (PRODUCT.md 3.7).

A package: resumption (reports and their aggregates), procurement (collective purchases and
their exact cost split), board (supply-chain matches) and member (services and rent relief).
"""

from coproduce.recovery.rules.board import *  # noqa: F403
from coproduce.recovery.rules.member import *  # noqa: F403
from coproduce.recovery.rules.procurement import *  # noqa: F403
from coproduce.recovery.rules.resumption import *  # noqa: F403
