from django import template

register = template.Library()


@register.simple_tag
def lookup_table(presentation, key: str):
    """The shown table with this key (templates cannot call methods with arguments)."""
    return presentation.table(key)
