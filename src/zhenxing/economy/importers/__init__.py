"""Import specs of the economy: ``vouchers`` (books from Excel)."""
