{#- Rows where column_name is not the sum of `addends` (NULL counts as a failure). -#}
{% test sum_of_columns(model, column_name, addends) %}
select *
from {{ model }}
where {{ column_name }} is distinct from ({{ addends | join(' + ') }})
{% endtest %}
