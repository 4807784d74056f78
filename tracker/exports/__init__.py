"""Export sales of local specialty products: exporters, products, monthly sales, area views and import."""
