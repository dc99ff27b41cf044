from jinja2 import Environment, PackageLoader


def test_every_template_renders_the_order_id():
    env = Environment(loader=PackageLoader("notification_service"))
    html = env.get_template("payment_captured.html.j2").render(order_id="o-1", amount="9.99", currency="EUR")
    assert "o-1" in html
