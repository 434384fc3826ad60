"""Short, static help pages linked from the footer."""

from django.urls import path
from django.views.generic import TemplateView

PAGES = [
    ("cookies/", "cookies", "pages/cookies.html"),
    ("terms-and-conditions/", "terms", "pages/terms.html"),
    ("accessibility/", "accessibility", "pages/accessibility.html"),
    ("contact/", "contact", "pages/contact.html"),
    ("standard-access-user-guide/", "standard_user_guide", "pages/standard_user_guide.html"),
    ("enhanced-access-user-guide/", "enhanced_user_guide", "pages/enhanced_user_guide.html"),
    ("faq/", "faq", "pages/faq.html"),
]

urlpatterns = [
    path(route, TemplateView.as_view(template_name=template), name=name) for route, name, template in PAGES
]
