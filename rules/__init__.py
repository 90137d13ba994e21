"""The built-in rules library, shipped inside the package as playbook.builtin."""
