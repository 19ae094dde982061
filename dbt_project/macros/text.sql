{#- Text rules shared by every layer, so "answered", "not stated" and the organisation key are
    spelled once. -#}

{#- Whitespace for the contract's "anything but white space": RE2 \s plus no-break space and BOM. -#}
{% macro whitespace_class() -%}
    [\s\x{00A0}\x{FEFF}]
{%- endmacro %}

{#- The value with leading and trailing white space removed (NULL stays NULL). -#}
{% macro strip_whitespace(expression) -%}
    regexp_replace({{ expression }}, '^{{ whitespace_class() }}+|{{ whitespace_class() }}+$', '', 'g')
{%- endmacro %}

{#- True when a cell holds anything but white space (the platform's "answered"; NA counts). -#}
{% macro is_answered(expression) -%}
    coalesce(regexp_matches({{ expression }}, '[^\s\x{00A0}\x{FEFF}]'), false)
{%- endmacro %}

{#- True when a trimmed answer carries no information (any case): NA, N/A, n.a., None, dashes,
    question marks or dots only, TBC / TBD, "see above", "as above", "see previous (answer)",
    "as previous", "not applicable", "no comment". -#}
{% macro is_not_stated(trimmed_expression) -%}
    coalesce(regexp_matches(
        {{ trimmed_expression }},
        '^(na|n/a|n\.a\.?|none|-+|\?+|\.+|tbc|tbd|tba|(see|as) (above|before|previous( answer| question)?)|not applicable|no comment)[.!]*$',
        'i'
    ), false)
{%- endmacro %}

{#- The organisation name key joined to organisation_aliases.alias_key. -#}
{% macro organisation_name_key(expression) -%}
    trim(regexp_replace(regexp_replace(lower({{ expression }}), '&', ' and ', 'g'), '[^a-z0-9]+', ' ', 'g'))
{%- endmacro %}

{#- DD/MM/YYYY HH:MM:SS (the contract's timestamps) to TIMESTAMP; empty stays NULL. -#}
{% macro parse_survey_timestamp(expression) -%}
    strptime(nullif({{ strip_whitespace(expression) }}, ''), '%d/%m/%Y %H:%M:%S')
{%- endmacro %}
