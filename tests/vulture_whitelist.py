"""Names vulture cannot see used, because a framework reads or calls them (`make lint` runs vulture).

Only framework-used names belong here; anything else vulture reports is dead and is deleted.
"""

from vulture.whitelist_utils import Whitelist

_ = Whitelist()

# python-pptx, python-docx and openpyxl: properties set on their objects, read when the file is written.
_.slide_height
_.slide_width
_.word_wrap
_.number_format_is_linked
_.has_legend
_.position
_.include_in_layout
_.rgb
_.alignment
_.left_margin
_.right_margin
_.bold
_.autofit
_.freeze_panes
_.tabColor
_.show_value

# scikit-learn: fitted attributes (trailing underscore) are what check_is_fitted looks for.
_.k_scores_
_.n_documents_

# atexit calls it (analytics/store/lease.py).
_._close_all

# Python calls a module's __getattr__ for a name it lacks (PEP 562: analytics/topics/__init__.py).
_.__getattr__

# pytest: module marks and autouse fixtures.
_.pytestmark
_._served_on_localhost
_._no_background_jobs
