"""Finding the people named on response forms (leads, owners, team members) by email address."""

from accounts.models import User


def user_by_email(email: str) -> User | None:
    email = (email or "").strip().lower()
    if not email:
        return None
    return User.objects.filter(email=email, is_active=True).first()
