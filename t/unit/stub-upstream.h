/* The stub upstream of the unit programs (stub-upstream.c). */

#define STUB_MAX	64

struct stub_request {
	char		*method;
	json_object	*params;
	upstream_cb	 cb;
	void		*arg;
};

struct stub_request *stub_requests_sent(size_t *);
void		 stub_answer(size_t, json_object *, int, const char *);
void		 stub_reset(void);
