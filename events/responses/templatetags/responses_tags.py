"""Small filters the response plan form needs: field names built from a row number."""

from django import template

register = template.Library()


@register.filter
def concat(prefix, value) -> str:
    return f"{prefix}{value}"


@register.filter
def get(mapping, key):
    return (mapping or {}).get(key)
