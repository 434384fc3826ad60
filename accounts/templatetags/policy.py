"""Templates ask the permission policy (accounts/permissions.py) here, never an account type:

    {% load policy %}
    {% may "revoke_super_admin_access" as may_revoke_super_admins %}
    {% may "update_event_of_my_organisation" event.organisation as may_update %}
    {% may_anywhere "approve_enhanced_access_requests_for_my_organisation" as manages_users %}

The acting user is the request's. An action name the policy does not know is a mistake in the
template, so it fails loudly rather than answering "no".
"""

from django import template

from accounts.permissions import Action, Target, allows, allows_anywhere

register = template.Library()


def _action(name: str) -> Action:
    try:
        return Action(name)
    except ValueError:
        raise template.TemplateSyntaxError(f"The permission policy has no action {name!r}") from None


def _user(context):
    request = context.get("request")
    return request.user if request is not None else context.get("user")


@register.simple_tag(takes_context=True)
def may(context, action: str, organisation=None, authored: bool = False) -> bool:
    """Whether the signed-in user may take the action (in the organisation, when one is given)."""
    target = Target(organisation=organisation, authored_by_actor=bool(authored))
    return allows(_user(context), _action(action), target)


@register.simple_tag(takes_context=True, name="may_anywhere")
def allowed_anywhere(context, action: str) -> bool:
    """Whether the signed-in user may take the action for at least one of their organisations."""
    return allows_anywhere(_user(context), _action(action))
