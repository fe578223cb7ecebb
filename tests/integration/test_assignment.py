"""Round-robin assignment (docs/configuration.md, `sales.assign`; issue 22
item 2): with sales.assign = "round_robin", each new lead that is not spam
gets the next of sales.assignees as its owner, in turn, however many serve
processes take leads at once; spam takes no turn. The lead's notification
goes to its owner with the sales inbox copied; the visitor's own e-mail is
addressed as before."""

import concurrent.futures
import unittest
import uuid

from harness import Server, wait_until
from test_booking import BOOKING_ENV, BookingServices, day
from test_estimate import valid_lead

SALES_INBOX = "sales@studio.example"
ASSIGNEES = [{"name": "Ana Lima", "email": "ana@studio.example"},
             {"name": "Ben", "email": "ben@studio.example"},
             {"name": "Cleo Wu", "email": "cleo@studio.example"}]
ASSIGNEES_TOML = "[" + ", ".join(
    f'{{name = "{person["name"]}", email = "{person["email"]}"}}' for person in ASSIGNEES) + "]"


class RoundRobinTest(BookingServices):
    environment = {**BOOKING_ENV, "LEADGATE_SALES_ASSIGN": "round_robin", "LEADGATE_SALES_ASSIGNEES": ASSIGNEES_TOML,
                   "LEADGATE_LIMITS_PER_MINUTE": "100000", "LEADGATE_LIMITS_BURST": "100000"}

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.second = cls.start(Server, LEADGATE_HTTP_LISTEN="127.0.0.1:0")

    def post_lead(self, server, spam=False):
        fields = {"email": f"rr-{uuid.uuid4().hex[:10]}@example.com", "message": f"A request of its own {uuid.uuid4()}"}
        if spam:
            fields["_gotcha"] = "a bot filled this in"
        reply = server.post_json("/v1/forms/estimate", valid_lead(**fields))
        self.assertEqual(reply.status, 201, reply.body)
        return reply.json()["id"]

    def owners(self, lead_ids):
        rows = self.db.query("SELECT id::text, owner, status FROM leads WHERE id = ANY(%s::uuid[])", (list(lead_ids),))
        self.assertEqual(len(rows), len(lead_ids), "every accepted lead is stored")
        return {row[0]: (row[1], row[2]) for row in rows}

    def test_concurrent_leads_over_two_servers_are_shared_out_in_turn_and_spam_takes_no_turn(self):
        # 30 real leads and 6 bots, 12 at a time, alternating servers: the
        # 30 take 30 consecutive turns, so each of the three gets exactly ten.
        kinds = [index % 6 == 5 for index in range(36)]
        with concurrent.futures.ThreadPoolExecutor(max_workers=12) as pool:
            ids = list(pool.map(lambda item: self.post_lead((self.server, self.second)[item[0] % 2], spam=item[1]),
                                enumerate(kinds)))
        owners = self.owners(ids)
        spam = [owners[lead_id] for lead_id, is_spam in zip(ids, kinds) if is_spam]
        self.assertEqual(spam, [(None, "spam")] * 6)
        counts = {}
        for lead_id, is_spam in zip(ids, kinds):
            if not is_spam:
                owner, status = owners[lead_id]
                self.assertEqual(status, "new")
                counts[owner] = counts.get(owner, 0) + 1
        self.assertEqual(counts, {person["name"]: 10 for person in ASSIGNEES})

    def test_sequential_leads_follow_the_list_in_order(self):
        ids = [self.post_lead(self.server) for _ in range(6)]
        owners = [self.owners([lead_id])[lead_id][0] for lead_id in ids]
        names = [person["name"] for person in ASSIGNEES]
        first = names.index(owners[0])
        self.assertEqual(owners, [names[(first + turn) % 3] for turn in range(6)])

    def test_the_notification_goes_to_the_owner_with_the_sales_inbox_copied(self):
        lead_id = self.post_lead(self.server)
        owner = self.owners([lead_id])[lead_id][0]
        owner_email = next(person["email"] for person in ASSIGNEES if person["name"] == owner)
        notification = self.wait_for_message(lambda m: lead_id in m.message.get_body(("plain",)).get_content()
                                             and m.message["Reply-To"] is not None)
        self.assertEqual(sorted(notification.recipients), sorted([owner_email, SALES_INBOX]))
        self.assertEqual(notification.message["To"], owner_email)
        self.assertEqual(notification.message["Cc"], SALES_INBOX)
        self.assertIn(f"Owner: {owner} handles this lead.", notification.message.get_body(("plain",)).get_content())
        # The visitor's confirmation is theirs alone.
        visitor = self.db.scalar("SELECT email FROM leads WHERE id = %s", (lead_id,))
        confirmation = self.smtp.wait_for(1, visitor)[0]
        self.assertEqual(confirmation.recipients, [visitor])
        self.assertIsNone(confirmation.message["Cc"])

    def test_an_owner_address_the_server_refuses_still_leaves_the_inbox_its_copy(self):
        for person in ASSIGNEES:
            self.smtp.always(person["email"], "550 5.1.1 no such user")
        try:
            lead_id = self.post_lead(self.server)
            notification = self.wait_for_message(lambda m: lead_id in m.message.get_body(("plain",)).get_content()
                                                 and m.message["Reply-To"] is not None)
        finally:
            for person in ASSIGNEES:
                self.smtp.accept(person["email"])
        self.assertEqual(notification.recipients, [SALES_INBOX])
        wait_until(lambda: self.db.scalar("SELECT status FROM jobs WHERE lead_id = %s AND template = "
                                          "'lead_notification'", (lead_id,)) == "sent", 20, "the job recorded sent")

    def test_a_consultation_gets_the_next_owner_and_its_booking_notice_goes_to_them(self):
        start = self.slots(day(6))[10]["start"]
        email = f"rr-booking-{uuid.uuid4().hex[:8]}@example.com"
        reply = self.book(start, email)
        self.assertEqual(reply.status, 201, reply.body)
        owner, status = self.db.query("SELECT l.owner, l.status FROM leads l JOIN bookings b ON b.lead_id = l.id "
                                      "WHERE b.id = %s", (reply.json()["id"],))[0]
        self.assertIn(owner, [person["name"] for person in ASSIGNEES])
        owner_email = next(person["email"] for person in ASSIGNEES if person["name"] == owner)
        notice = self.wait_for_message(lambda m: owner_email in m.recipients
                                       and email in m.message.get_body(("plain",)).get_content())
        self.assertEqual(sorted(notice.recipients), sorted([owner_email, SALES_INBOX]))
        self.assertEqual(notice.message["Cc"], SALES_INBOX)

    def wait_for_message(self, matches):
        """The one received message `matches` picks, once it has arrived."""
        found = []

        def arrived():
            found[:] = [m for m in self.smtp.received() if matches(m)]
            return found

        wait_until(arrived, 20, "the message")
        self.assertEqual(len(found), 1)
        return found[0]


class WithoutAssignmentTest(BookingServices):
    """The default (sales.assign = "none"): leads arrive without an owner and
    the notification goes to the inbox alone, even with assignees listed."""

    environment = {**BOOKING_ENV, "LEADGATE_SALES_ASSIGNEES": ASSIGNEES_TOML}

    def test_a_lead_has_no_owner_and_its_notification_goes_to_the_inbox(self):
        reply = self.server.post_json("/v1/forms/estimate", valid_lead(email="plain@example.com"))
        self.assertEqual(reply.status, 201, reply.body)
        lead_id = reply.json()["id"]
        self.assertIsNone(self.db.scalar("SELECT owner FROM leads WHERE id = %s", (lead_id,)))
        notification = self.smtp.wait_for(1, SALES_INBOX)[0]
        self.assertEqual(notification.recipients, [SALES_INBOX])
        self.assertIsNone(notification.message["Cc"])


if __name__ == "__main__":
    unittest.main()
