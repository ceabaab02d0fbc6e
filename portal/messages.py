"""Django's messages middleware, with each request's message storage made on first use.

Django's makes the storage on every request (a cookie storage with its signer and a session
storage, wrapped in a fallback storage), though few requests add or read a message: a tenth
of the cost of the cheapest page (issue 15, the trivial view). Here the storage is made when
a view, a template or `messages.add_message` first touches `request._messages`; a request
that never did has nothing to store, as Django's `update()` then does nothing either.
"""

from functools import partial

from django.contrib.messages import middleware
from django.contrib.messages.storage import default_storage
from django.utils.functional import SimpleLazyObject, empty


class MessageMiddleware(middleware.MessageMiddleware):
    def process_request(self, request):
        request._messages = SimpleLazyObject(partial(default_storage, request))

    def process_response(self, request, response):
        storage = getattr(request, "_messages", None)
        if type(storage) is SimpleLazyObject and storage._wrapped is empty:
            return response  # never used: nothing read, nothing added
        return super().process_response(request, response)
