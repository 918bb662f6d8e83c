import argparse

from payments.sandbox.server import serve


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m payments.sandbox", description="Run the Chapa sandbox.")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8001, help="0 picks a free port (printed on start)")
    parser.add_argument("--webhook-url", default="", help="where to POST signed webhooks (none if empty)")
    parser.add_argument("--webhook-secret", default="local-sandbox-webhook-secret")
    args = parser.parse_args()
    serve(host=args.host, port=args.port, webhook_url=args.webhook_url, webhook_secret=args.webhook_secret)


if __name__ == "__main__":
    main()
